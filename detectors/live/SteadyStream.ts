/**
 * Whether a body's OT has become steady (spec §2: valid samples with no gap over `maxGapS` for at
 * least `steadyS`), fed live, one valid sample time at a time: the causal form of `steadyStart`.
 */
export class SteadyStream {
  private runStart: number | undefined;
  private lastT: number | undefined;
  private steady: boolean;

  /** `reached`: where there is no take (no prefix to trim), the stream counts as steady from the start. */
  constructor(
    private readonly config: { readonly maxGapS: number; readonly steadyS: number },
    reached: boolean,
  ) {
    this.steady = reached;
  }

  /** The stream has been steady since the last (re)start. */
  get reached(): boolean {
    return this.steady;
  }

  /** A valid sample at `t` (times increase). */
  push(t: number): void {
    if (this.lastT === undefined || t - this.lastT > this.config.maxGapS) this.runStart = t;
    this.lastT = t;
    if (t - (this.runStart as number) >= this.config.steadyS) this.steady = true;
  }

  /**
   * A take starts at `t`: the stream stays steady only if it is still running (its last valid
   * sample within `maxGapS`); otherwise it must become steady again, from the samples to come.
   */
  restartUnlessSteadyAt(t: number): void {
    if (this.steady && this.lastT !== undefined && t - this.lastT <= this.config.maxGapS) return;
    this.steady = false;
    this.runStart = undefined;
    this.lastT = undefined;
  }
}
