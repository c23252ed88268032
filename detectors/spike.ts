import type { Interval } from "./intervals.js";
import { mergeIntervals } from "./intervals.js";
import { percentile, runningMedian } from "./stats.js";

export interface SpikeConfig {
  readonly tauIntensity: number;
  readonly percentile: number;
  readonly medianHalfWindow: number;
}

/**
 * The episode's spike threshold (spec §3: p99.9 + 30). The percentile is taken over a running median
 * of the intensity, not the raw values: on a take of a few hundred frames p99.9 is interpolated from
 * the top two values, so a single flicker frame would lift its own threshold above itself. The median
 * keeps contact plateaus (many frames) and removes flickers (a few frames).
 */
export function spikeThreshold(intensity: ArrayLike<number>, config: SpikeConfig): number {
  return (
    percentile(runningMedian(intensity, config.medianHalfWindow), config.percentile) + config.tauIntensity
  );
}

/** Frames whose tactile intensity exceeds the episode's threshold, as merged unpadded intervals. */
export function spikeIntervals(intensity: ArrayLike<number>, config: SpikeConfig): Interval[] {
  if (intensity.length === 0) return [];
  const threshold = spikeThreshold(intensity, config);
  const frames: Interval[] = [];
  for (let k = 0; k < intensity.length; k++) if ((intensity[k] as number) > threshold) frames.push([k, k]);
  return mergeIntervals(frames);
}
