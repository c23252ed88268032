/** One body's OT stream: only the samples that arrived; N may be 0. */
export interface OtStream {
  readonly body: string;
  readonly timestamps: Float64Array;
  /** N×7 row-major: x, y, z, qx, qy, qz, qw. */
  readonly pose: Float64Array;
  /**
   * Samples left out because their time cannot be right (not finite, or far outside the take's camera
   * span): one such sample must not reorder or end the whole stream.
   */
  readonly implausible?: number;
}
