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
  // Growable typed storage with a moving head: the rig's 240 Hz adds no garbage and no boxed numbers.
  #times = new Float64Array(1024);
  #rows = new Float64Array(1024 * 7);
  /** The oldest kept sample; samples [head, end) are held. */
  #head = 0;
  #end = 0;
  readonly #options: PoseHistoryOptions;

  constructor(options: PoseHistoryOptions) {
    this.#options = options;
  }

  push(sample: PoseSample): void {
    if (this.#end > 0 && !(sample.t > (this.#times[this.#end - 1] as number))) return; // out of order: the loss detector counts it
    const usable =
      sample.valid && isUsablePose(sample.position, sample.quaternion, this.#options.invalidQuatNorm);
    if (this.#end === this.#times.length) this.#makeRoom();
    const i = this.#end++;
    this.#times[i] = sample.t;
    const rows = this.#rows;
    const o = i * 7;
    if (usable) {
      const [x, y, z] = sample.position;
      const [qx, qy, qz, qw] = sample.quaternion;
      rows[o] = x;
      rows[o + 1] = y;
      rows[o + 2] = z;
      rows[o + 3] = qx;
      rows[o + 4] = qy;
      rows[o + 5] = qz;
      rows[o + 6] = qw;
    } else rows.fill(Number.NaN, o, o + 7);
    this.#forget(sample.t - this.#options.keepS);
  }

  /**
   * OT statistics of [w0, w1] (spec §3): fastest raw pair, largest gap touching it, invalid samples.
   * A window reaching back before the first sample this history ever held starts at that sample: the
   * daemon was not watching then, which is not a gap.
   */
  evidence(w0: number, w1: number): OtWindowEvidence {
    const times = this.#times.subarray(this.#head, this.#end);
    const first = times[0];
    const from = first === undefined ? w0 : Math.max(w0, first);
    return otWindowEvidence(
      times,
      this.#rows.subarray(this.#head * 7, this.#end * 7),
      from,
      Math.max(from, w1),
      this.#options.invalidQuatNorm,
    );
  }

  /** Forgets samples before `before`, keeping the last of them: a gap into the window must still show. */
  #forget(before: number): void {
    while (this.#head + 1 < this.#end && (this.#times[this.#head + 1] as number) < before) this.#head++;
  }

  /** Full: the kept samples move to the front, into storage twice as large when they fill half of it. */
  #makeRoom(): void {
    const kept = this.#end - this.#head;
    const capacity = kept * 2 > this.#times.length ? this.#times.length * 2 : this.#times.length;
    const times = capacity === this.#times.length ? this.#times : new Float64Array(capacity);
    const rows = capacity === this.#times.length ? this.#rows : new Float64Array(capacity * 7);
    times.set(this.#times.subarray(this.#head, this.#end));
    rows.set(this.#rows.subarray(this.#head * 7, this.#end * 7));
    this.#times = times;
    this.#rows = rows;
    this.#head = 0;
    this.#end = kept;
  }
}
