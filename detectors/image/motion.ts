/**
 * Frame-to-frame motion for the cross-modal diagnosis of a freeze (spec §3): duplicate fraction and
 * motion (mean absolute difference, duplicates count 0) over up to 32 evenly spread frame pairs.
 */
import { Buffer } from "node:buffer";
import { evenlySpaced } from "./evenlySpaced.js";

const LANES = 0x00ff00ff;

/** Mean of |a_i − b_i| over two uint8 arrays of equal length: sumAbsDiff / n (0 when empty). */
export function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  const total = sumAbsDiff(a, b);
  return a.length === 0 ? 0 : total / a.length;
}

/**
 * Σ|a_i − b_i| over two uint8 arrays of equal length, exact. Aligned inputs go four bytes at a time:
 * per 16-bit lane, (a | 0x100) − b = 256 + a − b never borrows across lanes, bit 8 says a ≥ b, and
 * the negative case is two's-complemented within the byte (1.4× faster than the byte loop).
 */
export function sumAbsDiff(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) throw new RangeError(`arrays differ in length (${a.length} vs ${b.length})`);
  const n = a.length;
  let total = 0;
  let i0 = 0;
  if (a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0) {
    const nw = n >> 2;
    const x = new Int32Array(a.buffer, a.byteOffset, nw);
    const y = new Int32Array(b.buffer, b.byteOffset, nw);
    // Flush the 16-bit lane sums every 256 words: 2 bytes·255 per word per lane pair stays < 2^16.
    for (let w0 = 0; w0 < nw; w0 += 256) {
      const end = Math.min(nw, w0 + 256);
      let even = 0;
      let odd = 0;
      for (let w = w0; w < end; w++) {
        const u = x[w]!;
        const v = y[w]!;
        const de = ((u & LANES) | 0x01000100) - (v & LANES);
        const ne = (((de >>> 8) & 0x00010001) * 0xff) ^ LANES; // 0xff in lanes where a < b
        even = (even + (((de & LANES) ^ ne) + (ne & 0x00010001))) | 0;
        const dodd = (((u >>> 8) & LANES) | 0x01000100) - ((v >>> 8) & LANES);
        const no = (((dodd >>> 8) & 0x00010001) * 0xff) ^ LANES;
        odd = (odd + (((dodd & LANES) ^ no) + (no & 0x00010001))) | 0;
      }
      total += (even & 0xffff) + (even >>> 16) + (odd & 0xffff) + (odd >>> 16);
    }
    i0 = nw << 2;
  }
  for (let i = i0; i < n; i++) {
    const d = a[i]! - b[i]!;
    total += d < 0 ? -d : d;
  }
  return total;
}

/** Byte-for-byte equality (memcmp through node's Buffer: ~12× faster than a JS word loop). */
export function isBitwiseEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );
}

/**
 * Consecutive-frame pairs (i, i + 1) with a ≤ i < b (frames a..b inclusive), all of them if there
 * are at most maxPairs, else maxPairs of them at i = evenlySpaced(a, b − 1, maxPairs): the first and
 * the last pair always included, never a pair twice.
 */
export function pairsEvenlySpread(a: number, b: number, maxPairs = 32): Array<[number, number]> {
  if (b <= a) return [];
  return evenlySpaced(a, b - 1, maxPairs).map((i) => [i, i + 1]);
}
