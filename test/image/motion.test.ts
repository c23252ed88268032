import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { frameHash, isBitwiseEqual, meanAbsDiff, pairsEvenlySpread } from "../../detectors/image/index.js";
import { type Reference, runReference, unaligned } from "./python.js";

interface Manifest {
  count: number;
  mad: number[][];
  equal: boolean[][];
  spans: Array<[number, number]>;
  pairs: Array<Array<[number, number]>>;
  blobLengths: number[];
  frameHash: string;
  blobHashes: string[];
}

const FRAME = 480 * 640 * 3;

describe("motion: hand-computed cases", () => {
  it("meanAbsDiff: exact means, both signs, odd lengths and offsets", () => {
    expect(meanAbsDiff(new Uint8Array([0, 255, 10, 3]), new Uint8Array([255, 0, 13, 3]))).toBe(
      (255 + 255 + 3) / 4,
    );
    expect(meanAbsDiff(new Uint8Array(0), new Uint8Array(0))).toBe(0);
    const a = new Uint8Array(1003).map((_, i) => (i * 37) & 255);
    const b = new Uint8Array(1003).map((_, i) => (i * 101 + 7) & 255);
    let sum = 0;
    for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
    expect(meanAbsDiff(a, b)).toBe(sum / a.length);
    expect(meanAbsDiff(unaligned(a), b)).toBe(sum / a.length);
    expect(meanAbsDiff(a, a)).toBe(0);
    expect(() => meanAbsDiff(a, b.subarray(1))).toThrow(RangeError);
  });

  it("isBitwiseEqual catches a single changed byte anywhere", () => {
    const a = new Uint8Array(FRAME).map((_, i) => (i * 13) & 255);
    expect(isBitwiseEqual(a, a.slice())).toBe(true);
    expect(isBitwiseEqual(a, unaligned(a))).toBe(true);
    for (const at of [0, 1, FRAME >> 1, FRAME - 1]) {
      const b = a.slice();
      b[at] = b[at]! ^ 1;
      expect(isBitwiseEqual(a, b), `byte ${at}`).toBe(false);
    }
    expect(isBitwiseEqual(a, a.subarray(1))).toBe(false);
  });

  it("pairsEvenlySpread: every pair when few, 32 spread ones from first to last otherwise", () => {
    expect(pairsEvenlySpread(0, 5)).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
      [3, 4],
      [4, 5],
    ]);
    const p = pairsEvenlySpread(0, 100);
    expect(p.length).toBe(32);
    expect(p[0]).toEqual([0, 1]);
    expect(p[31]).toEqual([99, 100]);
    expect(new Set(p.map(([i]) => i)).size).toBe(32);
    expect(pairsEvenlySpread(3, 3)).toEqual([]);
    expect(pairsEvenlySpread(0, 10, 3)).toEqual([
      [0, 1],
      [5, 6],
      [9, 10],
    ]); // 0, 4.5 → 5, 9
  });

  it("frameHash: 16 hex digits, content-only, sensitive to every bit and to length", () => {
    const a = new Uint8Array(FRAME).map((_, i) => (i * 31 + (i >> 11)) & 255);
    const h = frameHash(a);
    expect(h).toMatch(/^[0-9a-f]{16}$/);
    expect(frameHash(a.slice())).toBe(h);
    expect(frameHash(unaligned(a))).toBe(h);
    const seen = new Set([h]);
    for (let k = 0; k < 64; k++) {
      const b = a.slice();
      const at = (k * 14407 + 13) % FRAME;
      b[at] = b[at]! ^ (1 << (k & 7));
      seen.add(frameHash(b));
    }
    expect(seen.size).toBe(65);
    // Every single-bit flip of a short buffer (tail path included), and zero padding vs length.
    const small = new Uint8Array(37).map((_, i) => i * 7);
    const flips = new Set([frameHash(small)]);
    for (let i = 0; i < small.length * 8; i++) {
      const b = small.slice();
      b[i >> 3] = b[i >> 3]! ^ (1 << (i & 7));
      flips.add(frameHash(b));
    }
    expect(flips.size).toBe(small.length * 8 + 1);
    const zeros = new Set([0, 1, 4, 15, 16, 17, 32].map((n) => frameHash(new Uint8Array(n))));
    expect(zeros.size).toBe(7);
  });
});

describe("motion vs NumPy (fixture and noise frames)", () => {
  let ref: Reference<Manifest>;
  let frames: Uint8Array;
  const at = (i: number) => frames.subarray(i * FRAME, (i + 1) * FRAME);
  beforeAll(() => {
    ref = runReference("motion");
    frames = ref.bytes("frames");
  });
  afterAll(() => ref?.dispose());

  // Both sides sum integers exactly and divide once: bit-identical doubles expected.
  it("meanAbsDiff equals np.abs(a - b).mean() exactly, aligned or not", () => {
    const { count, mad } = ref.manifest;
    for (let i = 0; i < count; i++) {
      for (let j = i; j < count; j++) {
        expect(meanAbsDiff(at(i), at(j)), `${i},${j}`).toBe(mad[i]![j]);
        if (j === i + 1) expect(meanAbsDiff(unaligned(at(i)), at(j)), `${i},${j} unaligned`).toBe(mad[i]![j]);
      }
    }
  });

  it("isBitwiseEqual and frameHash agree with np.array_equal (the gel repeats frames 0 and 1)", () => {
    const { count, equal } = ref.manifest;
    const hashes = Array.from({ length: count }, (_, i) => frameHash(at(i)));
    for (let i = 0; i < count; i++) {
      for (let j = 0; j < count; j++) {
        expect(isBitwiseEqual(at(i), at(j)), `${i},${j}`).toBe(equal[i]![j]);
        expect(hashes[i] === hashes[j], `hash ${i},${j}`).toBe(equal[i]![j]);
      }
    }
    expect(equal[2]![3]).toBe(true);
  });

  it("frameHash equals the Python transcription on frames and odd-length buffers", () => {
    expect(frameHash(at(3))).toBe(ref.manifest.frameHash);
    const blobs = ref.bytes("blobs");
    let offset = 0;
    const ours = ref.manifest.blobLengths.map((n) => {
      const h = frameHash(blobs.subarray(offset, offset + n));
      offset += n;
      return h;
    });
    expect(ours).toEqual(ref.manifest.blobHashes);
  });

  it("pairsEvenlySpread equals np.round(np.linspace(a, b-1, min(b-a, 32)))", () => {
    ref.manifest.spans.forEach(([a, b], k) => {
      expect(pairsEvenlySpread(a, b), `${a}..${b}`).toEqual(ref.manifest.pairs[k]);
    });
  });
});
