/** Inclusive camera-frame ranges [a, b]; touching or overlapping intervals merge (spec §3). */
export type Interval = readonly [number, number];

export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const merged: [number, number][] = [];
  for (const [a, b] of sorted) {
    const last = merged[merged.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else merged.push([a, b]);
  }
  return merged;
}

/** Widens each interval by `pad` frames, clamped to [0, frameCount - 1], then merges. */
export function padIntervals(intervals: readonly Interval[], pad: number, frameCount: number): Interval[] {
  return mergeIntervals(
    intervals.map(([a, b]): Interval => [Math.max(0, a - pad), Math.min(frameCount - 1, b + pad)]),
  );
}

/** Re-indexes to post-trim frames: drops what lies before `offset`, shifts the rest. */
export function trimIntervals(intervals: readonly Interval[], offset: number): Interval[] {
  const out: Interval[] = [];
  for (const [a, b] of intervals) if (b >= offset) out.push([Math.max(a, offset) - offset, b - offset]);
  return out;
}

export function frameCount(intervals: readonly Interval[]): number {
  let n = 0;
  for (const [a, b] of mergeIntervals(intervals)) n += b - a + 1;
  return n;
}
