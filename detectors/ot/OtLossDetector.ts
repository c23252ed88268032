import type { PoseSample } from "../samples.js";
import type { TimeSpan } from "../timeSpan.js";
import { isUsablePose, samePose } from "./quaternion.js";

export type OtLossKind = "gap" | "held" | "invalid";

export interface OtLossSpan extends TimeSpan {
  readonly body: string;
  readonly kind: OtLossKind;
}

export interface OtLossConfig {
  /** No valid sample for at least this long (s). */
  readonly otGapS: number;
  /** Pose bitwise identical for at least this long (s), measured from the value's first sample. */
  readonly freezeThresholdS: number;
  readonly invalidQuatNorm: number;
}

/**
 * The three OT-loss signals of one body over its raw samples, in source time: gaps between valid
 * samples, bitwise-held poses, and invalid samples (tracking-valid bit clear, zero or NaN quaternion).
 * Pure and incremental: live feeds it sample by sample, replay feeds it a whole stream.
 */
export class OtLossDetector {
  private lastValid: PoseSample | undefined;
  private lastValidT: number | undefined;
  /** Time the current pose value first appeared, and its first / last repeat. */
  private valueStart = 0;
  private firstRepeat: number | undefined;
  private lastRepeat = 0;
  private invalidFirst: number | undefined;
  private invalidLast = 0;
  private seenValid = false;
  private lastT = Number.NEGATIVE_INFINITY;
  /** Samples whose time did not advance: ignored, counted for the integrity report. */
  outOfOrder = 0;

  constructor(
    readonly body: string,
    private readonly config: OtLossConfig,
    /** Time from which samples are expected (episode start): a late first sample is a gap. */
    expectedFrom?: number,
  ) {
    this.lastValidT = expectedFrom;
  }

  /** True while the current pose has been held for at least the freeze threshold. */
  get holding(): boolean {
    return (
      this.firstRepeat !== undefined && this.lastRepeat - this.valueStart >= this.config.freezeThresholdS
    );
  }

  /** The latest valid sample repeats the one before it bitwise: a hold may be starting. */
  get repeating(): boolean {
    return this.firstRepeat !== undefined;
  }

  /** While holding: source time the held value first appeared (the hold's start). */
  get heldSince(): number | undefined {
    return this.holding ? this.valueStart : undefined;
  }

  /** True while the latest samples are invalid. */
  get invalid(): boolean {
    return this.invalidFirst !== undefined;
  }

  /** Source time of the last valid sample, if any. */
  get lastValidTime(): number | undefined {
    return this.lastValidT;
  }

  /** Feeds one sample in arrival order; returns the loss spans this sample completes. */
  push(sample: PoseSample): OtLossSpan[] {
    if (!(sample.t > this.lastT)) {
      this.outOfOrder++;
      return [];
    }
    this.lastT = sample.t;
    const spans: OtLossSpan[] = [];
    const usable =
      sample.valid && isUsablePose(sample.position, sample.quaternion, this.config.invalidQuatNorm);
    if (!usable) {
      this.closeHeld(spans);
      this.invalidFirst ??= sample.t;
      this.invalidLast = sample.t;
      this.lastValid = undefined;
      return spans;
    }
    this.closeInvalid(spans);
    if (this.lastValidT !== undefined && sample.t - this.lastValidT >= this.config.otGapS) {
      spans.push(this.gap(sample.t));
    }
    const prev = this.lastValid;
    if (prev && samePose(prev.position, prev.quaternion, sample.position, sample.quaternion)) {
      this.firstRepeat ??= sample.t;
      this.lastRepeat = sample.t;
    } else {
      this.closeHeld(spans);
      this.valueStart = sample.t;
    }
    this.lastValid = sample;
    this.lastValidT = sample.t;
    this.seenValid = true;
    return spans;
  }

  /** End of the stream at time `end`: closes open runs and a trailing silence. */
  finish(end: number): OtLossSpan[] {
    const spans: OtLossSpan[] = [];
    this.closeHeld(spans);
    this.closeInvalid(spans);
    if (this.lastValidT === undefined || end - this.lastValidT >= this.config.otGapS)
      spans.push(this.gap(end));
    return spans;
  }

  /** Silence from the last valid sample (exclusive) or, before any, from the expected start (inclusive). */
  private gap(end: number): OtLossSpan {
    const fromStart = this.lastValid === undefined && !this.seenValid;
    const start = this.lastValidT ?? Number.NEGATIVE_INFINITY;
    return { body: this.body, kind: "gap", start, startOpen: !fromStart, end };
  }

  private closeHeld(spans: OtLossSpan[]) {
    if (this.firstRepeat !== undefined && this.holding) {
      spans.push({
        body: this.body,
        kind: "held",
        start: this.firstRepeat,
        startOpen: false,
        end: this.lastRepeat,
      });
    }
    this.firstRepeat = undefined;
  }

  private closeInvalid(spans: OtLossSpan[]) {
    if (this.invalidFirst !== undefined) {
      spans.push({
        body: this.body,
        kind: "invalid",
        start: this.invalidFirst,
        startOpen: false,
        end: this.invalidLast,
      });
      this.invalidFirst = undefined;
      // The held run (if any) was broken by the invalid samples: the next valid sample starts a new value.
      this.firstRepeat = undefined;
    }
  }
}
