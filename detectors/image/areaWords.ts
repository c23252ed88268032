/**
 * Fast path of the area resize (the rig's 480×640 → 128 case runs here): the same integer sums as
 * areaBytes.ts, three times faster.
 *
 * Vertical pass: four bytes per load. Each 32-bit word is split into its even bytes (v & 0x00ff00ff)
 * and odd bytes ((v >> 8) & 0x00ff00ff): two 16-bit lanes per int, so one multiply weighs two bytes
 * and a lane (≤ 255·cell) cannot carry into the next. Every three words (four pixels) are then
 * repacked per pixel as (c0 | c2 << 16, c1), so the horizontal pass weighs two channels per multiply;
 * its lane sums (≤ 255·cell²) must fit 16 bits too, hence cell ≤ 16. The final division is a lookup.
 */
import type { AreaTable } from "./areaTable.js";

const LANES = 0x00ff00ff;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Per-pixel packed vertical sums; 4 zero entries past the row so 5-tap reads never leave it. */
let packedA = new Int32Array(0);
let packedB = new Int32Array(0);
const roundTables = new Map<number, Uint8Array>();

/**
 * Whether the word path applies: little-endian, 4-byte aligned crop rows, whole 4-pixel groups,
 * at most 5 taps per output (side ≤ 512) and cell ≤ 16 (side 480, 240, 256, 384, 448, 320 qualify).
 */
export function wordPathFits(frame: Uint8Array, width: number, x0: number, table: AreaTable): boolean {
  return (
    LITTLE_ENDIAN &&
    frame.byteOffset % 4 === 0 &&
    width % 4 === 0 &&
    x0 % 4 === 0 &&
    table.src % 4 === 0 &&
    table.src <= 4 * table.dst &&
    table.cell <= 16
  );
}

/** round(s / cell²) half up for every reachable sum s ≤ 255·cell² < 2^16. */
function roundTable(cell: number): Uint8Array {
  let t = roundTables.get(cell);
  if (!t) {
    const den = cell * cell;
    t = new Uint8Array(1 << 16);
    for (let s = 0; s <= 255 * den; s++) t[s] = Math.floor((2 * s + den) / (2 * den));
    roundTables.set(cell, t);
  }
  return t;
}

/** Σ w_k·(v_k & 0x00ff00ff): five rows, two lanes at once. */
function weigh(
  w0: number,
  w1: number,
  w2: number,
  w3: number,
  w4: number,
  v0: number,
  v1: number,
  v2: number,
  v3: number,
  v4: number,
): number {
  return (
    Math.imul(w0, v0 & LANES) +
    Math.imul(w1, v1 & LANES) +
    Math.imul(w2, v2 & LANES) +
    Math.imul(w3, v3 & LANES) +
    Math.imul(w4, v4 & LANES)
  );
}

/** Same contract as resizeBytes; call only when wordPathFits. */
export function resizeWords(
  frame: Uint8Array,
  width: number,
  y0: number,
  x0: number,
  table: AreaTable,
  out: Uint8Array,
): void {
  const src = new Int32Array(frame.buffer, frame.byteOffset, frame.byteLength >> 2);
  const side = table.src;
  if (packedA.length < side + 4) {
    packedA = new Int32Array(side + 4);
    packedB = new Int32Array(side + 4);
  }
  const pa = packedA;
  const pb = packedB;
  const { first, count, weights, stride, dst } = table;
  const round = roundTable(table.cell);
  const rowWords = (width * 3) >> 2;
  const left = (x0 * 3) >> 2;
  let q = 0;
  for (let oy = 0; oy < dst; oy++) {
    // Always five taps: missing ones (count < 5) get weight 0 on a row that exists (b0).
    const n = count[oy]!;
    const wb = oy * stride;
    const w0 = weights[wb]!;
    const w1 = weights[wb + 1]!;
    const w2 = weights[wb + 2]!;
    const w3 = weights[wb + 3]!;
    const w4 = weights[wb + 4]!;
    const b0 = (y0 + first[oy]!) * rowWords + left;
    const b1 = n > 1 ? b0 + rowWords : b0;
    const b2 = n > 2 ? b1 + rowWords : b0;
    const b3 = n > 3 ? b2 + rowWords : b0;
    const b4 = n > 4 ? b3 + rowWords : b0;
    for (let j = 0, p = 0; p < side; j += 3, p += 4) {
      // Words j, j+1, j+2 hold pixels p..p+3: bytes c0 c1 c2 c0 | c1 c2 c0 c1 | c2 c0 c1 c2.
      let v0 = src[b0 + j]!;
      let v1 = src[b1 + j]!;
      let v2 = src[b2 + j]!;
      let v3 = src[b3 + j]!;
      let v4 = src[b4 + j]!;
      const e0 = weigh(w0, w1, w2, w3, w4, v0, v1, v2, v3, v4);
      const o0 = weigh(w0, w1, w2, w3, w4, v0 >> 8, v1 >> 8, v2 >> 8, v3 >> 8, v4 >> 8);
      v0 = src[b0 + j + 1]!;
      v1 = src[b1 + j + 1]!;
      v2 = src[b2 + j + 1]!;
      v3 = src[b3 + j + 1]!;
      v4 = src[b4 + j + 1]!;
      const e1 = weigh(w0, w1, w2, w3, w4, v0, v1, v2, v3, v4);
      const o1 = weigh(w0, w1, w2, w3, w4, v0 >> 8, v1 >> 8, v2 >> 8, v3 >> 8, v4 >> 8);
      v0 = src[b0 + j + 2]!;
      v1 = src[b1 + j + 2]!;
      v2 = src[b2 + j + 2]!;
      v3 = src[b3 + j + 2]!;
      v4 = src[b4 + j + 2]!;
      const e2 = weigh(w0, w1, w2, w3, w4, v0, v1, v2, v3, v4);
      const o2 = weigh(w0, w1, w2, w3, w4, v0 >> 8, v1 >> 8, v2 >> 8, v3 >> 8, v4 >> 8);
      pa[p] = e0;
      pb[p] = o0 & 0xffff;
      pa[p + 1] = (o0 >>> 16) | (o1 << 16);
      pb[p + 1] = e1 & 0xffff;
      pa[p + 2] = (e1 >>> 16) | (e2 << 16);
      pb[p + 2] = o1 >>> 16;
      pa[p + 3] = o2;
      pb[p + 3] = e2 >>> 16;
    }
    for (let ox = 0, xb = 0; ox < dst; ox++, xb += stride) {
      const j = first[ox]!;
      const u0 = weights[xb]!;
      const u1 = weights[xb + 1]!;
      const u2 = weights[xb + 2]!;
      const u3 = weights[xb + 3]!;
      const u4 = weights[xb + 4]!;
      // Lanes wrap mod 2^32 consistently (imul, |0), and >>> 16 reads the high lane back unsigned.
      const a =
        (Math.imul(u0, pa[j]!) +
          Math.imul(u1, pa[j + 1]!) +
          Math.imul(u2, pa[j + 2]!) +
          Math.imul(u3, pa[j + 3]!) +
          Math.imul(u4, pa[j + 4]!)) |
        0;
      const b =
        Math.imul(u0, pb[j]!) +
        Math.imul(u1, pb[j + 1]!) +
        Math.imul(u2, pb[j + 2]!) +
        Math.imul(u3, pb[j + 3]!) +
        Math.imul(u4, pb[j + 4]!);
      out[q] = round[a & 0xffff]!;
      out[q + 1] = round[b]!;
      out[q + 2] = round[a >>> 16]!;
      q += 3;
    }
  }
}
