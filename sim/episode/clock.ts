import { mix, mulberry32, type Rng, STREAM, uniform } from "./prng.js";

/**
 * Camera tick times: Unix seconds from the take's epoch, one every 1/fps with independent jitter per tick
 * (not accumulated), like the fixture, whose tick spacing ranges over roughly ±22 % of 1/fps.
 */
export function cameraTimestamps(seed: number, ticks: number, fps: number, epochS: number): Float64Array {
  const rng = mulberry32(mix(seed, STREAM.cameraClock));
  const ts = new Float64Array(ticks);
  for (let k = 0; k < ticks; k++) ts[k] = epochS + (k + uniform(rng, 0, 0.22)) / fps;
  return ts;
}

/**
 * A sample clock of nominal rate `hz` with per-sample jitter of ±`jitter` periods, from t0 until tEnd.
 * OT bodies share one clock (Motive stamps all bodies of a frame together), GelSight has its own.
 */
export function sampleClock(rng: Rng, t0: number, tEnd: number, hz: number, jitter: number): Float64Array {
  const n = Math.max(0, Math.floor((tEnd - t0) * hz) + 1);
  const out = new Float64Array(n);
  for (let j = 0; j < n; j++) out[j] = t0 + (j + uniform(rng, -jitter, jitter)) / hz;
  return out;
}

/**
 * Camera frame ownership, the convention of the truth files: frame k owns the time (ts[k-1], ts[k]]
 * (frame 0 owns everything up to ts[0]), i.e. the first frame recorded with that moment in the past.
 * Deliberately not detectors/frameClock.ts: the truth must not share code with what it judges.
 */
export class FrameOwner {
  constructor(readonly ts: Float64Array) {}

  /** First frame with ts ≥ t: the frame owning t (T when t is after the last tick). */
  owning(t: number): number {
    return this.search(t, false);
  }

  /** First frame with ts > t: the frame owning t + ε. */
  after(t: number): number {
    return this.search(t, true);
  }

  /** Index range [i0, i1) of the sorted `times` owned by frame k. */
  ownedRange(times: Float64Array, k: number): [number, number] {
    const lo = k === 0 ? Number.NEGATIVE_INFINITY : (this.ts[k - 1] as number);
    const hi = this.ts[k] as number;
    return [lowerBound(times, lo, true), lowerBound(times, hi, true)];
  }

  private search(t: number, strict: boolean): number {
    return lowerBound(this.ts, t, strict);
  }
}

/** First index whose value is ≥ x (or > x when `strict`). */
export function lowerBound(values: Float64Array, x: number, strict: boolean): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = values[mid] as number;
    if (strict ? v <= x : v < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
