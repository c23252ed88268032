import type { OtStream } from "./OtStream.js";

/**
 * How far outside the take's camera span an OT sample may lie and still be the take's. The recorder
 * buffers OT for a few seconds around a take; a sample a minute away (1e12, 0, a negative time) is a
 * fault of that one sample, not a reason to end or reorder the stream.
 */
export const OT_OUTSIDE_TAKE_S = 60;

/**
 * The stream without the samples whose time cannot be right: not finite, or more than
 * `OT_OUTSIDE_TAKE_S` outside `[first, last]` camera time. Dropped samples are counted in
 * `implausible`; order and values of the others are untouched (a sample that steps back in time is
 * the detectors' to notice). An unusable span (no finite camera time) only drops non-finite times.
 */
export function plausibleOtSamples(stream: OtStream, span: readonly [number, number]): OtStream {
  const [first, last] = span;
  const bounded = Number.isFinite(first) && Number.isFinite(last);
  const lo = bounded ? first - OT_OUTSIDE_TAKE_S : Number.NEGATIVE_INFINITY;
  const hi = bounded ? last + OT_OUTSIDE_TAKE_S : Number.POSITIVE_INFINITY;
  const n = stream.timestamps.length;
  const keep: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = stream.timestamps[i] as number;
    if (Number.isFinite(t) && t >= lo && t <= hi) keep.push(i);
  }
  if (keep.length === n) return { ...stream, implausible: 0 };
  const timestamps = new Float64Array(keep.length);
  const pose = new Float64Array(keep.length * 7);
  keep.forEach((i, j) => {
    timestamps[j] = stream.timestamps[i] as number;
    pose.set(stream.pose.subarray(i * 7, i * 7 + 7), j * 7);
  });
  return { body: stream.body, timestamps, pose, implausible: n - keep.length };
}
