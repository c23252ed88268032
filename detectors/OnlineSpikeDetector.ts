import type { SpikeConfig } from "./spike.js";

export interface OnlineSpikeConfig extends SpikeConfig {
  /** No decision for the first frames of a take (or after a reference reset): the baseline is settling. */
  readonly warmupFrames: number;
  /** Frames to wait before deciding: a flicker comes back down, a contact step stays up. */
  readonly confirmFrames: number;
}

export interface SpikeDecision {
  /** Index of the decided frame in this detector's stream (0 = first frame after start/reset). */
  readonly index: number;
  readonly intensity: number;
  readonly threshold: number;
}

/**
 * Live counterpart of `spikeIntervals`: the same "above baseline + tau" rule with a streaming baseline
 * (the running percentile of a causal running median) and a short confirmation delay. Warm-up rule:
 * the first `warmupFrames` frames of a take are never flagged.
 */
export class OnlineSpikeDetector {
  private readonly recent: number[] = [];
  private readonly medians: number[] = [];
  private readonly pending: { index: number; intensity: number; threshold: number }[] = [];
  private index = 0;

  constructor(private readonly config: OnlineSpikeConfig) {}

  reset(): void {
    this.recent.length = 0;
    this.medians.length = 0;
    this.pending.length = 0;
    this.index = 0;
  }

  /** Feeds one frame's intensity; returns the spike confirmed `confirmFrames` frames ago, if any. */
  push(intensity: number): SpikeDecision | undefined {
    const { config } = this;
    const threshold = this.baseline() + config.tauIntensity;
    this.recent.push(intensity);
    if (this.recent.length > 2 * config.medianHalfWindow + 1) this.recent.shift();
    insertSorted(this.medians, median(this.recent));
    this.pending.push({ index: this.index++, intensity, threshold });
    if (this.pending.length <= config.confirmFrames) return undefined;
    const candidate = this.pending.shift() as SpikeDecision;
    if (candidate.index < config.warmupFrames || !(candidate.intensity > candidate.threshold))
      return undefined;
    const cameBack = this.pending.some(
      (later) => later.intensity < candidate.intensity - config.tauIntensity,
    );
    return cameBack ? candidate : undefined;
  }

  private baseline(): number {
    const m = this.medians;
    if (m.length === 0) return 0;
    const rank = (this.config.percentile / 100) * (m.length - 1);
    const lo = Math.floor(rank);
    const hi = Math.min(lo + 1, m.length - 1);
    return (m[lo] as number) + (rank - lo) * ((m[hi] as number) - (m[lo] as number));
  }
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

function insertSorted(sorted: number[], value: number) {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) <= value) lo = mid + 1;
    else hi = mid;
  }
  sorted.splice(lo, 0, value);
}
