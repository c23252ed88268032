import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { THUMB_BYTES, THUMB_SIDE, thumbnail, toChannelFirst } from "../../detectors/image/index.js";
import { type Reference, runReference, unaligned } from "./python.js";

interface Case {
  name: string;
  height: number;
  width: number;
  frame: string;
  exact: string;
  cv2like: string;
  nearTie: string;
  cv2?: string;
}

function frameOf(h: number, w: number, pixel: (y: number, x: number, c: number) => number): Uint8Array {
  const f = new Uint8Array(h * w * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) for (let c = 0; c < 3; c++) f[(y * w + x) * 3 + c] = pixel(y, x, c);
  return f;
}

/** Max abs difference and number of differing bytes. */
function compare(a: Uint8Array, b: Uint8Array): { max: number; differing: number } {
  let max = 0;
  let differing = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (d > 0) differing++;
    if (d > max) max = d;
  }
  return { max, differing };
}

describe("thumbnail: hand-computed cases", () => {
  it("keeps a constant frame constant, for every crop size and both code paths", () => {
    for (const [h, w] of [
      [480, 640],
      [640, 480],
      [481, 643],
      [128, 128],
      [256, 300],
    ] as const) {
      const f = frameOf(h, w, (_y, _x, c) => 77 + c);
      for (const input of [f, unaligned(f)]) {
        const t = thumbnail(input, h, w);
        expect(t.length).toBe(THUMB_BYTES);
        let wrong = 0;
        for (let i = 0; i < t.length; i++) if (t[i] !== 77 + (i % 3)) wrong++;
        expect(wrong, `${h}×${w}`).toBe(0);
      }
    }
  });

  it("averages a 0/255 checkerboard with fractional edge weights (480 → 128 = 3.75)", () => {
    // Output (0,0) covers source rows and columns 0,1,2 fully and 3 by 0.75: the even-parity cells
    // weigh 7.0625 of 14.0625, the odd ones 7.0. Crop starts at column 80 (even), so parity holds.
    const f = frameOf(480, 640, (y, x) => ((x + y) % 2 === 0 ? 0 : 255));
    const t = thumbnail(f, 480, 640);
    expect(t[0]).toBe(Math.round((7 * 255) / 14.0625)); // 126.93 → 127
    const g = thumbnail(
      frameOf(480, 640, (y, x) => ((x + y) % 2 === 0 ? 255 : 0)),
      480,
      640,
    );
    expect(g[0]).toBe(128); // 128.07
  });

  it("rounds an exact .5 mean half up (integer downscale 256 → 128)", () => {
    const f = frameOf(256, 256, (y, x) => ((x + y) % 2 === 0 ? 0 : 255));
    const t = thumbnail(f, 256, 256);
    expect(new Set(t)).toEqual(new Set([128])); // every 2×2 block is 127.5
  });

  it("crops the centre square: columns 80..559 of a 480×640 frame", () => {
    const outside = frameOf(480, 640, (_y, x) => (x < 80 || x >= 560 ? 255 : 0));
    expect(Math.max(...thumbnail(outside, 480, 640))).toBe(0);
    // Column 80 alone at 200 feeds only output column 0, with weight 1 of 3.75: 53.33 → 53.
    const edge = thumbnail(
      frameOf(480, 640, (_y, x) => (x === 80 ? 200 : 0)),
      480,
      640,
    );
    for (let y = 0; y < THUMB_SIDE; y++) {
      expect(edge[y * THUMB_SIDE * 3]).toBe(53);
      expect(edge[y * THUMB_SIDE * 3 + 3]).toBe(0);
    }
    // Portrait frame: rows 80..559 are kept.
    const portrait = frameOf(640, 480, (y) => (y < 80 || y >= 560 ? 255 : 9));
    expect(new Set(thumbnail(portrait, 640, 480))).toEqual(new Set([9]));
  });

  it("leaves the channel order alone and reuses `out`", () => {
    const out = new Uint8Array(THUMB_BYTES);
    const t = thumbnail(
      frameOf(480, 640, (_y, _x, c) => [10, 20, 30][c]!),
      480,
      640,
      out,
    );
    expect(t).toBe(out);
    expect(Array.from(t.subarray(0, 6))).toEqual([10, 20, 30, 10, 20, 30]);
  });

  it("rejects wrong sizes", () => {
    expect(() => thumbnail(new Uint8Array(10), 480, 640)).toThrow(RangeError);
    expect(() => thumbnail(new Uint8Array(100 * 200 * 3), 100, 200)).toThrow(RangeError);
    expect(() => thumbnail(new Uint8Array(480 * 640 * 3), 480, 640, new Uint8Array(5))).toThrow(RangeError);
  });

  it("toChannelFirst moves HWC to (3,128,128)", () => {
    const hwc = new Uint8Array(THUMB_BYTES);
    for (let i = 0; i < hwc.length; i++) hwc[i] = (i * 7 + (i >> 9)) & 255;
    const chw = toChannelFirst(hwc);
    const plane = THUMB_SIDE * THUMB_SIDE;
    for (const [y, x] of [
      [0, 0],
      [5, 17],
      [127, 127],
      [64, 3],
    ] as const) {
      for (let c = 0; c < 3; c++)
        expect(chw[c * plane + y * THUMB_SIDE + x]).toBe(hwc[(y * THUMB_SIDE + x) * 3 + c]);
    }
    const out = new Uint8Array(THUMB_BYTES);
    expect(toChannelFirst(hwc, out)).toBe(out);
  });
});

describe("thumbnail vs NumPy (fixture frames and noise)", () => {
  let ref: Reference<{ cases: Case[]; cv2: boolean }>;
  beforeAll(() => {
    ref = runReference("thumbnail");
  });
  afterAll(() => ref?.dispose());

  // Exact integer area means with the same rounding on both sides: no tolerance at all.
  it("equals exact NumPy area averaging bit for bit, aligned and unaligned", () => {
    for (const c of ref.manifest.cases) {
      const frame = ref.bytes(c.frame);
      const expected = ref.bytes(c.exact);
      expect(compare(thumbnail(frame, c.height, c.width), expected), c.name).toEqual({
        max: 0,
        differing: 0,
      });
      expect(
        compare(thumbnail(unaligned(frame), c.height, c.width), expected),
        `${c.name} unaligned`,
      ).toEqual({
        max: 0,
        differing: 0,
      });
    }
  });

  // OpenCV INTER_AREA sums float32 weights in float32 and rounds half to even (its integer-scale fast
  // path rounds half up), so it can only disagree where the exact mean is on, or within float32
  // error of, a .5 boundary: by 1 level, and only there (nearTie: within 1e-4 of a boundary). A
  // 480-pixel crop has no such byte (means are k/225, ≥ 1/450 from a tie): identical output.
  it("differs from an OpenCV-style float32 INTER_AREA (and cv2 itself if importable) only by 1 level at .5 ties", () => {
    for (const c of ref.manifest.cases) {
      const ours = ref.bytes(c.exact);
      const nearTie = ref.bytes(c.nearTie);
      for (const other of [c.cv2like, c.cv2]) {
        if (other === undefined) continue;
        const theirs = ref.bytes(other);
        const { max, differing } = compare(ours, theirs);
        expect(max, `${c.name} vs ${other}`).toBeLessThanOrEqual(1);
        let offTie = 0;
        for (let i = 0; i < ours.length; i++) if (ours[i] !== theirs[i] && nearTie[i] === 0) offTie++;
        expect(offTie, `${c.name} vs ${other}: differences away from a .5 tie`).toBe(0);
        if (Math.min(c.height, c.width) === 480) expect(differing, `${c.name} vs ${other}`).toBe(0);
      }
    }
  });
});
