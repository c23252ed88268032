/**
 * Centred moving average with the window clipped at the ends: value i is the plain mean of
 * values[i − ⌊w/2⌋ … i + ⌈w/2⌉ − 1] ∩ [0, n − 1]. For w = 30 that is frames i − 15 … i + 14, i.e.
 * pandas `Series.rolling(30, center=True, min_periods=1).mean()`. Clipping (rather than zero
 * padding, as np.convolve(mode="same") does) keeps the edge frames from looking artificially quiet.
 *
 * Each window is summed directly, in order: O(n·w) but free of the drift a running sum accumulates.
 */
export function centredMovingAverage(
  values: ArrayLike<number>,
  window: number,
  out?: Float64Array,
): Float64Array {
  if (!Number.isInteger(window) || window < 1)
    throw new RangeError(`window must be a positive integer, got ${window}`);
  const n = values.length;
  const dst = out ?? new Float64Array(n);
  if (dst.length !== n) throw new RangeError(`out must hold ${n} values`);
  const back = window >> 1;
  const ahead = window - back - 1;
  for (let i = 0; i < n; i++) {
    const a = Math.max(0, i - back);
    const b = Math.min(n - 1, i + ahead);
    let sum = 0;
    for (let j = a; j <= b; j++) sum += values[j]!;
    dst[i] = sum / (b - a + 1);
  }
  return dst;
}
