import { isUsablePose, type OtWindowEvidence, otWindowEvidence } from "../ot/index.js";
import type { PoseSample } from "../samples.js";

export interface PoseHistoryOptions {
  /** Samples older than this (seconds before the newest) are forgotten, except the last one before. */
  readonly keepS: number;
  readonly invalidQuatNorm: number;
}

/**
 * One body's recent raw OT samples, so the live freeze diagnosis can take the offline pass's OT
 * statistics (`otWindowEvidence`, the same code) over a window that ends now. An unusable sample
 * (valid bit clear, zero or NaN quaternion) is kept as a row of NaN: invalid in the window, never an
 * endpoint of a speed.
 */
export class PoseHistory {
  #times: number[] = [];
  #rows: number[] = [];
  readonly #options: PoseHistoryOptions;

  constructor(options: PoseHistoryOptions) {
    this.#options = options;
  }

  push(sample: PoseSample): void {
    const last = this.#times[this.#times.length - 1];
    if (last !== undefined && !(sample.t > last)) return; // out of order: the loss detector counts it
    const usable =
      sample.valid && isUsablePose(sample.position, sample.quaternion, this.#options.invalidQuatNorm);
    this.#times.push(sample.t);
    if (usable) this.#rows.push(...sample.position, ...sample.quaternion);
    else for (let i = 0; i < 7; i++) this.#rows.push(Number.NaN);
    this.#forget(sample.t - this.#options.keepS);
  }

  /**
   * OT statistics of [w0, w1] (spec §3): fastest raw pair, largest gap touching it, invalid samples.
   * A window reaching back before the first sample this history ever held starts at that sample: the
   * daemon was not watching then, which is not a gap.
   */
  evidence(w0: number, w1: number): OtWindowEvidence {
    const first = this.#times[0];
    const from = first === undefined ? w0 : Math.max(w0, first);
    return otWindowEvidence(
      Float64Array.from(this.#times),
      Float64Array.from(this.#rows),
      from,
      Math.max(from, w1),
      this.#options.invalidQuatNorm,
    );
  }

  /** Drops samples before `before`, keeping the last of them: a gap into the window must still show. */
  #forget(before: number): void {
    let drop = 0;
    while (drop + 1 < this.#times.length && (this.#times[drop + 1] as number) < before) drop++;
    // In batches: the arrays shift rarely, not on every sample.
    if (drop > 512) {
      this.#times = this.#times.slice(drop);
      this.#rows = this.#rows.slice(drop * 7);
    }
  }
}
