import { describe, expect, it } from "vitest";
import { runningMedian } from "../../detectors/stats.js";

/** The definition: each clipped window sorted on its own. */
function definition(x: readonly number[], half: number): number[] {
  return x.map((_, k) => {
    const w = x.slice(Math.max(0, k - half), Math.min(x.length, k + half + 1)).sort((a, b) => a - b);
    const m = w.length >> 1;
    return w.length % 2 ? (w[m] as number) : ((w[m - 1] as number) + (w[m] as number)) / 2;
  });
}

/** A seeded LCG: the same series every run. */
function series(seed: number, n: number, levels: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return (s % levels) * 0.5 - 3;
  });
}

describe("runningMedian: the sliding sorted window gives each window's median", () => {
  it("equals sorting every window, for short and long series, ties, and windows wider than the series", () => {
    for (const n of [0, 1, 2, 3, 7, 31, 300])
      for (const half of [0, 1, 2, 7, 15, 40])
        for (const levels of [3, 1000]) {
          const x = series(n * 7919 + half * 31 + levels, n, levels);
          expect(Array.from(runningMedian(x, half))).toEqual(definition(x, half));
        }
  });

  it("orders NaN and −0 as the typed array's sort does", () => {
    expect(Array.from(runningMedian([1, Number.NaN, 3, 2], 1))).toEqual([Number.NaN, 3, 3, 2.5]);
    expect(Object.is(runningMedian([-0, 0, -0], 1)[1], -0)).toBe(true);
  });
});
