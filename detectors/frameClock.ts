import type { Interval } from "./intervals.js";
import type { TimeSpan } from "./timeSpan.js";

/**
 * Maps source time onto camera frames. Frame k "owns" the time (ts[k-1], ts[k]] (frame 0 owns
 * everything up to ts[0]): an OT event belongs to the first camera frame at or after it, the frame
 * that was the first to be recorded with that event already in the past.
 */
export class FrameClock {
  constructor(readonly timestamps: Float64Array) {}

  get frameCount(): number {
    return this.timestamps.length;
  }

  /** First frame with ts ≥ t (frameCount when none). */
  frameOwning(t: number): number {
    return this.search(t, false);
  }

  /** First frame with ts > t (frameCount when none). */
  frameAfter(t: number): number {
    return this.search(t, true);
  }

  /** Frames owning any time in the span, or undefined when the span lies after the last frame. */
  framesOf(span: TimeSpan): Interval | undefined {
    const a = span.startOpen ? this.frameAfter(span.start) : this.frameOwning(span.start);
    const last = this.frameCount - 1;
    if (a > last) return undefined;
    const b = Math.min(this.frameOwning(span.end), last);
    return b >= a ? [a, b] : undefined;
  }

  /** Index of the sample nearest to each camera tick; ties go to the earlier sample (spec §2). */
  nearestSamples(sampleTimes: Float64Array): Int32Array {
    const out = new Int32Array(this.frameCount).fill(-1);
    if (sampleTimes.length === 0) return out;
    let j = 0;
    for (let k = 0; k < this.frameCount; k++) {
      const t = this.timestamps[k] as number;
      while (j + 1 < sampleTimes.length && (sampleTimes[j + 1] as number) < t) j++;
      const next = j + 1 < sampleTimes.length ? (sampleTimes[j + 1] as number) : Number.POSITIVE_INFINITY;
      out[k] = next - t < Math.abs(t - (sampleTimes[j] as number)) ? j + 1 : j;
    }
    return out;
  }

  private search(t: number, strict: boolean): number {
    const ts = this.timestamps;
    let lo = 0;
    let hi = ts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const v = ts[mid] as number;
      if (strict ? v <= t : v < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
