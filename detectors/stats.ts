/** Percentile with linear interpolation between closest ranks (NumPy's default), p in [0, 100]. */
export function percentile(values: ArrayLike<number>, p: number): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = (p / 100) * (n - 1);
  const lo = Math.floor(rank);
  const hi = Math.min(lo + 1, n - 1);
  return (sorted[lo] as number) + (rank - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
}

/** Median of x[k-half .. k+half] for every k, the window clipped at the ends. */
export function runningMedian(x: ArrayLike<number>, half: number): Float64Array {
  const n = x.length;
  const out = new Float64Array(n);
  const window = new Float64Array(2 * half + 1);
  for (let k = 0; k < n; k++) {
    const a = Math.max(0, k - half);
    const b = Math.min(n - 1, k + half);
    const w = window.subarray(0, b - a + 1);
    for (let i = a; i <= b; i++) w[i - a] = x[i] as number;
    w.sort();
    const m = w.length >> 1;
    out[k] = w.length % 2 ? (w[m] as number) : ((w[m - 1] as number) + (w[m] as number)) / 2;
  }
  return out;
}
