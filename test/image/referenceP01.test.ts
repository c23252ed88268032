import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  centredMovingAverage,
  drift,
  evenlySpaced,
  P01Distances,
  p01SampleIndices,
  referenceP01,
  TemporalMedian,
  THUMB_BYTES,
} from "../../detectors/image/index.js";
import { type Reference, runReference } from "./python.js";

interface Sequence {
  name: string;
  frames: number;
  thumbs: string;
  samples: number[];
  median: string;
  distances: string;
  smoothed: string;
  index: number;
  drift: number;
}
interface Manifest {
  sequences: Sequence[];
  sampleIndices: Array<{ frames: number; indices: number[] }>;
}

function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++)
    worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
  return worst;
}

describe("evenlySpaced, centredMovingAverage, TemporalMedian: hand-computed", () => {
  it("spreads indices with both ends included, rounding half up, never repeating", () => {
    expect(evenlySpaced(0, 9, 4)).toEqual([0, 3, 6, 9]);
    expect(evenlySpaced(0, 10, 4)).toEqual([0, 3, 7, 10]); // 3.33, 6.67
    expect(evenlySpaced(0, 5, 3)).toEqual([0, 3, 5]); // 2.5 → 3 (NumPy's np.round would say 2)
    expect(evenlySpaced(10, 12, 32)).toEqual([10, 11, 12]); // clamped to the range
    expect(evenlySpaced(4, 4, 5)).toEqual([4]);
    expect(evenlySpaced(5, 4, 5)).toEqual([]);
    const many = evenlySpaced(0, 19227, 300);
    expect(many.length).toBe(300);
    expect(many.every((v, i) => i === 0 || v > many[i - 1]!)).toBe(true);
    expect(p01SampleIndices(1)).toEqual([0]);
    expect(p01SampleIndices(250).length).toBe(250);
  });

  it("averages over a centred window clipped at the ends", () => {
    const v = [1, 2, 3, 4, 5];
    expect(Array.from(centredMovingAverage(v, 3))).toEqual([1.5, 2, 3, 4, 4.5]);
    expect(Array.from(centredMovingAverage(v, 2))).toEqual([1, 1.5, 2.5, 3.5, 4.5]); // frames i−1, i
    expect(Array.from(centredMovingAverage(v, 30))).toEqual([3, 3, 3, 3, 3]);
    expect(Array.from(centredMovingAverage(v, 1))).toEqual(v);
    // w = 30 covers i − 15 … i + 14.
    const step = Array.from({ length: 40 }, (_, i) => (i === 35 ? 30 : 0));
    const s = centredMovingAverage(step, 30);
    expect(s[20]).toBe(0); // 20 + 14 = 34 < 35
    expect(s[21]).toBe(1); // 21 + 14 = 35, 30 frames in the window
    expect(s[39]).toBeCloseTo(30 / 16, 12); // clipped: frames 24..39
  });

  it("takes the median per position, averaging the middle pair for an even count", () => {
    const odd = new TemporalMedian(3, 6);
    for (const v of [5, 1, 9]) odd.add(new Uint8Array(6).fill(v));
    expect(Array.from(odd.median())).toEqual([5, 5, 5, 5, 5, 5]);
    const even = new TemporalMedian(4, 3);
    const buffer = new Uint8Array(3); // reused between add() calls: must be copied
    for (const v of [
      [0, 255, 7],
      [1, 255, 7],
      [2, 0, 7],
      [3, 0, 8],
    ]) {
      buffer.set(v);
      even.add(buffer);
    }
    expect(Array.from(even.median())).toEqual([1.5, 127.5, 7]);
    expect(() => even.add(buffer)).toThrow(RangeError);
    expect(() => new TemporalMedian(2, 3).median()).toThrow(RangeError);
  });

  it("picks the earliest frame on ties and a lone frame as its own reference", () => {
    const still = new Uint8Array(THUMB_BYTES).fill(90);
    const r = referenceP01(() => still, 50);
    expect(r.index).toBe(0);
    expect(Math.max(...r.distances)).toBe(0);
    expect(referenceP01(() => still, 1).index).toBe(0);
    expect(drift(still, still)).toBe(0);
  });
});

describe("p01 reference vs NumPy", () => {
  let ref: Reference<Manifest>;
  beforeAll(() => {
    ref = runReference("p01");
  });
  afterAll(() => ref?.dispose());

  it("samples the same frames as np.unique(np.round(np.linspace(0, T-1, min(T, 300))))", () => {
    for (const { frames, indices } of ref.manifest.sampleIndices)
      expect(p01SampleIndices(frames), `T=${frames}`).toEqual(indices);
  });

  // Median: exact (k or k + ½ on both sides). Distances: exact per-pixel values, summed in another
  // order than NumPy's pairwise sum: ≤ 1e-12 relative. The argmin must agree exactly.
  it("matches median, distances, smoothed values and the reference index", () => {
    for (const s of ref.manifest.sequences) {
      const thumbs = ref.bytes(s.thumbs);
      const at = (i: number) => thumbs.subarray(i * THUMB_BYTES, (i + 1) * THUMB_BYTES);
      const r = referenceP01(at, s.frames);
      expect(p01SampleIndices(s.frames), s.name).toEqual(s.samples);
      expect(maxRelDiff(r.median, ref.float64(s.median)), `${s.name} median`).toBe(0);
      expect(maxRelDiff(r.distances, ref.float64(s.distances)), `${s.name} distances`).toBeLessThanOrEqual(
        1e-12,
      );
      expect(maxRelDiff(r.smoothed, ref.float64(s.smoothed)), `${s.name} smoothed`).toBeLessThanOrEqual(
        1e-12,
      );
      expect(r.index, s.name).toBe(s.index);
      expect(Math.abs(drift(at(0), at(r.index)) - s.drift), s.name).toBeLessThanOrEqual(
        1e-12 * Math.max(1, s.drift),
      );
    }
  });

  it("finds the designed quiet stretch (clipped window at the episode end included)", () => {
    const byName = new Map(ref.manifest.sequences.map((s) => [s.name, s]));
    // Frames 250..309 are noise-free: the first frame whose window i−15 … i+14 is all quiet.
    expect(byName.get("synthetic 450")?.index).toBe(265);
    // Quiet frames 30..36 at the end: the last frame's clipped window (21..36) is the quietest.
    expect(byName.get("synthetic 37")?.index).toBe(36);
  });

  it("gives the same answer when streamed through one reused buffer", () => {
    const s = ref.manifest.sequences.find((q) => q.name === "synthetic 450");
    if (!s) throw new Error("missing sequence");
    const thumbs = ref.bytes(s.thumbs);
    const buffer = new Uint8Array(THUMB_BYTES);
    const load = (i: number) => {
      buffer.set(thumbs.subarray(i * THUMB_BYTES, (i + 1) * THUMB_BYTES));
      return buffer;
    };
    // Pass 1: only the sampled frames; pass 2: every frame in order.
    const picks = p01SampleIndices(s.frames);
    const median = new TemporalMedian(picks.length, THUMB_BYTES);
    for (const i of picks) median.add(load(i));
    const pass = new P01Distances(median.median());
    const pushed: number[] = [];
    for (let i = 0; i < s.frames; i++) pushed.push(pass.push(load(i)));
    const streamed = pass.finish();
    const direct = referenceP01(load, s.frames);
    expect(streamed.index).toBe(direct.index);
    expect(Array.from(streamed.distances)).toEqual(Array.from(direct.distances));
    expect(pushed).toEqual(Array.from(direct.distances));
    expect(Array.from(streamed.smoothed)).toEqual(Array.from(direct.smoothed));
  });
});
