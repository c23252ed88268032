import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contactMetrics, DEFAULT_TAU, drift, THUMB_BYTES } from "../../detectors/image/index.js";
import { type Reference, runReference } from "./python.js";

interface Manifest {
  count: number;
  results: Array<{ thumb: number; ref: number; tau: number; intensity: number; area: number; mixed: number }>;
  drifts: Array<{ a: number; b: number; drift: number }>;
}

/** A 128×128 thumbnail whose pixel p is rgb(p). */
function thumbOf(rgb: (p: number) => readonly [number, number, number]): Uint8Array {
  const t = new Uint8Array(THUMB_BYTES);
  for (let p = 0; p < THUMB_BYTES / 3; p++) t.set(rgb(p), p * 3);
  return t;
}

describe("contactMetrics: hand-computed cases", () => {
  const zero = thumbOf(() => [0, 0, 0]);

  it("is zero against itself", () => {
    const t = thumbOf((p) => [p & 255, (p >> 3) & 255, 7]);
    expect(contactMetrics(t, t)).toEqual({ intensity: 0, area: 0, mixed: 0 });
  });

  it("uses the RGB L2 norm and a strict threshold", () => {
    expect(
      contactMetrics(
        thumbOf(() => [3, 4, 0]),
        zero,
      ),
    ).toEqual({ intensity: 5, area: 0, mixed: 0 });
    expect(
      contactMetrics(
        thumbOf(() => [0, 6, 8]),
        zero,
      ),
    ).toEqual({ intensity: 10, area: 1, mixed: 10 });
    // d = 8 exactly is not above tau = 8; it is above 7.99.
    expect(
      contactMetrics(
        thumbOf(() => [8, 0, 0]),
        zero,
      ).area,
    ).toBe(0);
    expect(
      contactMetrics(
        thumbOf(() => [8, 0, 0]),
        zero,
        7.99,
      ).area,
    ).toBe(1);
    expect(DEFAULT_TAU).toBe(8);
  });

  it("averages over all pixels", () => {
    // Half the pixels at d = 10, half at d = 0.
    const half = thumbOf((p) => (p % 2 === 0 ? [6, 8, 0] : [0, 0, 0]));
    expect(contactMetrics(half, zero)).toEqual({ intensity: 5, area: 0.5, mixed: 5 });
    // A quarter at d = 12 (above), the rest at d = 4 (below): intensity 6, area .25, mixed 3.
    const mix = thumbOf((p) => (p % 4 === 0 ? [0, 12, 0] : [4, 0, 0]));
    expect(contactMetrics(mix, zero)).toEqual({ intensity: 6, area: 0.25, mixed: 3 });
  });

  it("returns float32 values and reuses `out`", () => {
    const t = thumbOf((p) => [p % 3, 1, 0]); // d ∈ {1, √2, √5}
    const out = { intensity: 0, area: 0, mixed: 0 };
    const m = contactMetrics(t, zero, DEFAULT_TAU, out);
    expect(m).toBe(out);
    expect(Math.fround(m.intensity)).toBe(m.intensity);
    // 16384 pixels: 5462 at d = 1, 5461 at √2, 5461 at √5; within one float32 ulp (2^-23 at ~1.5).
    const exact = (5462 + 5461 * Math.SQRT2 + 5461 * Math.sqrt(5)) / 16384;
    expect(Math.abs(m.intensity - exact)).toBeLessThanOrEqual(2 ** -23);
  });

  it("rejects mismatched images", () => {
    expect(() => contactMetrics(new Uint8Array(6), new Uint8Array(9))).toThrow(RangeError);
  });
});

describe("contactMetrics and drift vs NumPy", () => {
  let ref: Reference<Manifest>;
  beforeAll(() => {
    ref = runReference("contact");
  });
  afterAll(() => ref?.dispose());

  const at = (all: Uint8Array, i: number) => all.subarray(i * THUMB_BYTES, (i + 1) * THUMB_BYTES);

  // Per-pixel distances are correctly rounded sqrt of exact integers on both sides; only the order of
  // the float64 mean differs (NumPy sums pairwise), ~1e-16 relative. After the cast to float32 the
  // values may land one float32 ulp apart (2^-23 relative) when they straddle a rounding boundary.
  // `area` is a count / 16384, exact on both sides.
  it("matches intensity, area and mixed on fixture and noise thumbnails for several tau", () => {
    const thumbs = ref.bytes("thumbs");
    const refs = ref.bytes("refs");
    for (const r of ref.manifest.results) {
      const m = contactMetrics(at(thumbs, r.thumb), at(refs, r.ref), r.tau);
      const label = `thumb ${r.thumb} ref ${r.ref} tau ${r.tau}`;
      expect(Math.abs(m.intensity - r.intensity), label).toBeLessThanOrEqual(
        2 ** -23 * Math.max(1, r.intensity),
      );
      expect(Math.abs(m.mixed - r.mixed), label).toBeLessThanOrEqual(2 ** -23 * Math.max(1, r.mixed));
      expect(m.area, label).toBe(r.area);
    }
    expect(ref.manifest.results.length).toBe(ref.manifest.count * 2 * 4);
  });

  it("matches drift (float64)", () => {
    const thumbs = ref.bytes("thumbs");
    const refs = ref.bytes("refs");
    for (const d of ref.manifest.drifts) {
      expect(Math.abs(drift(at(thumbs, d.a), at(refs, d.b)) - d.drift)).toBeLessThanOrEqual(
        1e-12 * Math.max(1, d.drift),
      );
    }
  });
});
