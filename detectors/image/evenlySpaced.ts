/**
 * `count` integers evenly spread over [first, last], both ends included, in exact integer arithmetic
 * (no float linspace): index_k = first + round_half_up(k·span/(n − 1)), k = 0..n−1, with
 * span = last − first and n = min(count, span + 1). As n ≤ span + 1 the step is ≥ 1, so the values
 * are strictly increasing: "duplicates removed" never has to drop one. A larger count is clamped to
 * every integer of the range.
 *
 * Equals NumPy `np.round(np.linspace(first, last, n)).astype(int)` except on exact .5 ties (NumPy
 * rounds those to even). Ties need an even n − 1 and a step that is not an integer, so the p01
 * sampling (n = 300, or n = T with step 1) never meets one.
 */
export function evenlySpaced(first: number, last: number, count: number): number[] {
  if (!Number.isInteger(first) || !Number.isInteger(last) || !Number.isInteger(count)) {
    throw new RangeError(`evenlySpaced needs integers, got ${first}, ${last}, ${count}`);
  }
  if (last < first || count <= 0) return [];
  const span = last - first;
  const n = Math.min(count, span + 1);
  if (n === 1) return [first];
  const den = 2 * (n - 1);
  const out = new Array<number>(n);
  for (let k = 0; k < n; k++) out[k] = first + floorDiv(2 * k * span + n - 1, den);
  return out;
}

/** floor(a / b) for non-negative integers below 2^53, corrected for float division rounding. */
function floorDiv(a: number, b: number): number {
  let q = Math.floor(a / b);
  if (q * b > a) q--;
  else if ((q + 1) * b <= a) q++;
  return q;
}
