/**
 * Area resize of a square HWC crop, one byte at a time: the general path (any size, alignment or
 * crop offset) and the definition the SIMD kernel (areaSimd.ts) must match bit for bit.
 */
import type { AreaTable } from "./areaTable.js";

/** Vertically reduced crop row, one int per byte; grown on demand and reused (no per-call allocation). */
let rowSums = new Int32Array(0);

/** Resizes the side×side crop at (y0, x0) of an HWC frame `width` pixels wide into `out` (dst×dst×3). */
export function resizeBytes(
  frame: Uint8Array,
  width: number,
  y0: number,
  x0: number,
  table: AreaTable,
  out: Uint8Array,
): void {
  const len = table.src * 3;
  if (rowSums.length < len) rowSums = new Int32Array(len);
  const row = rowSums;
  const { first, count, weights, stride, cell, dst } = table;
  const half = cell * cell;
  const den = 2 * half;
  let q = 0;
  for (let oy = 0; oy < dst; oy++) {
    const n = count[oy]!;
    for (let k = 0; k < n; k++) {
      const w = weights[oy * stride + k]!;
      const base = ((y0 + first[oy]! + k) * width + x0) * 3;
      if (k === 0) for (let i = 0; i < len; i++) row[i] = w * frame[base + i]!;
      else for (let i = 0; i < len; i++) row[i] = row[i]! + w * frame[base + i]!;
    }
    for (let ox = 0; ox < dst; ox++) {
      const m = count[ox]!;
      const wb = ox * stride;
      let c0 = 0;
      let c1 = 0;
      let c2 = 0;
      for (let k = 0, j = first[ox]! * 3; k < m; k++, j += 3) {
        const w = weights[wb + k]!;
        c0 += w * row[j]!;
        c1 += w * row[j + 1]!;
        c2 += w * row[j + 2]!;
      }
      // Round half up: floor((2·sum + cell²) / (2·cell²)), exact since sums stay far below 2^53.
      out[q] = Math.floor((2 * c0 + half) / den);
      out[q + 1] = Math.floor((2 * c1 + half) / den);
      out[q + 2] = Math.floor((2 * c2 + half) / den);
      q += 3;
    }
  }
}
