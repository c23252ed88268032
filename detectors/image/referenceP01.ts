/**
 * The "p01" contact reference of a take (spec §4): the quietest frame. Per frame, the mean L2
 * distance to the take's temporal median image, smoothed over 30 frames; the reference is the frame
 * with the smallest smoothed value (ties → the earliest).
 *
 * Two streamable passes, so a caller never has to hold all T thumbnails:
 *   1. the ≤ 300 frames at p01SampleIndices(T) go into a TemporalMedian;
 *   2. every frame, in order, goes through P01Distances.push; finish() smooths and picks the index.
 * referenceP01 runs both over a random-access thumbnail source.
 */
import { evenlySpaced } from "./evenlySpaced.js";
import { meanL2Distance, meanL2ToImage } from "./l2.js";
import { centredMovingAverage } from "./movingAverage.js";
import { TemporalMedian } from "./temporalMedian.js";
import { THUMB_BYTES } from "./thumbnail.js";

export const P01_MAX_SAMPLES = 300;
export const P01_WINDOW = 30;

export interface P01Options {
  /** Frames the median is taken over (evenly spaced, see evenlySpaced). Default 300. */
  readonly maxSamples?: number;
  /** Centred moving-average window (clipped at the ends, see centredMovingAverage). Default 30. */
  readonly window?: number;
}

export interface P01Pick {
  /** Reference frame, 0-based in the sequence given (post-trim if the caller passes post-trim frames). */
  readonly index: number;
  /** Per frame: mean L2 distance to the median image. */
  readonly distances: Float64Array;
  /** `distances` after the centred moving average. */
  readonly smoothed: Float64Array;
}

export interface P01Result extends P01Pick {
  /** Temporal median image, HWC, values k or k + ½. */
  readonly median: Float32Array;
}

/** Pass 1: frames whose median is the baseline: evenlySpaced(0, T − 1, min(T, 300)), all distinct. */
export function p01SampleIndices(frames: number, maxSamples: number = P01_MAX_SAMPLES): number[] {
  if (!Number.isInteger(frames) || frames < 1) throw new RangeError(`a take needs ≥ 1 frame, got ${frames}`);
  return evenlySpaced(0, frames - 1, maxSamples);
}

/** Pass 2: per-frame distances to the median, fed in frame order. */
export class P01Distances {
  private values: Float64Array;
  private n = 0;

  constructor(
    private readonly median: Float32Array,
    expectedFrames = 0,
  ) {
    this.values = new Float64Array(Math.max(16, expectedFrames));
  }

  get count(): number {
    return this.n;
  }

  /** Distance of the next frame; the thumbnail is not kept. */
  push(thumb: Uint8Array): number {
    const d = meanL2ToImage(thumb, this.median);
    if (this.n === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.n++] = d;
    return d;
  }

  finish(window: number = P01_WINDOW): P01Pick {
    if (this.n === 0) throw new RangeError("no frames pushed");
    const distances = this.values.slice(0, this.n);
    const smoothed = centredMovingAverage(distances, window);
    let index = 0;
    for (let i = 1; i < smoothed.length; i++) if (smoothed[i]! < smoothed[index]!) index = i;
    return { index, distances, smoothed };
  }
}

/**
 * Both passes over `frames` thumbnails (128×128×3 HWC) read through `getThumb(i)`, which may reuse
 * one buffer between calls: sampled frames are copied, the others are only looked at.
 */
export function referenceP01(
  getThumb: (i: number) => Uint8Array,
  frames: number,
  options: P01Options = {},
): P01Result {
  const picks = p01SampleIndices(frames, options.maxSamples ?? P01_MAX_SAMPLES);
  const sampler = new TemporalMedian(picks.length, THUMB_BYTES);
  for (const i of picks) sampler.add(getThumb(i));
  const median = sampler.median();
  const pass = new P01Distances(median, frames);
  for (let i = 0; i < frames; i++) pass.push(getThumb(i));
  return { median, ...pass.finish(options.window ?? P01_WINDOW) };
}

/** `drift_<side>`: mean L2 distance between the take's first frame and its p01 reference (> 5 → flag). */
export function drift(first: Uint8Array, ref: Uint8Array): number {
  return meanL2Distance(first, ref);
}
