/**
 * Mean per-pixel RGB L2 distance between two 3-channel HWC images (spec §4: drift, p01 distance).
 * Sums of squares are exact integers (or quarter-integers against a median image), so each pixel's
 * distance is a correctly rounded sqrt; only the final mean depends on summation order.
 *
 * Math.sqrt measured as fast as a lookup table over 0..3·255² (≈ 60 µs per 128×128 call either
 * way on this machine), so no table: it would only add 1.5 MB to the cache footprint.
 */

/** Mean over pixels of ‖a_p − b_p‖₂ for two uint8 HWC images of equal length (a multiple of 3). */
export function meanL2Distance(a: Uint8Array, b: Uint8Array): number {
  checkPair(a.length, b.length);
  let sum = 0;
  for (let i = 0; i < a.length; i += 3) {
    const d0 = a[i]! - b[i]!;
    const d1 = a[i + 1]! - b[i + 1]!;
    const d2 = a[i + 2]! - b[i + 2]!;
    sum += Math.sqrt(d0 * d0 + d1 * d1 + d2 * d2);
  }
  return a.length === 0 ? 0 : sum / (a.length / 3);
}

/** Same, against a float image (the temporal median, whose values are k or k + ½). */
export function meanL2ToImage(a: Uint8Array, image: Float32Array): number {
  checkPair(a.length, image.length);
  let sum = 0;
  for (let i = 0; i < a.length; i += 3) {
    const d0 = a[i]! - image[i]!;
    const d1 = a[i + 1]! - image[i + 1]!;
    const d2 = a[i + 2]! - image[i + 2]!;
    sum += Math.sqrt(d0 * d0 + d1 * d1 + d2 * d2);
  }
  return a.length === 0 ? 0 : sum / (a.length / 3);
}

export function checkPair(a: number, b: number): void {
  if (a !== b || a % 3 !== 0)
    throw new RangeError(`images must be 3-channel and equal in size (${a} vs ${b})`);
}
