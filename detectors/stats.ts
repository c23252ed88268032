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

/**
 * Median of x[k-half .. k+half] for every k, the window clipped at the ends. The window is kept
 * sorted as it slides (one value in, one out) instead of sorted again at every k: the same medians,
 * a tenth of the time on a take's intensity series.
 */
export function runningMedian(x: ArrayLike<number>, half: number): Float64Array {
  const n = x.length;
  // Equal values are interchangeable in the sorted window except NaN and −0, which sort() orders.
  for (let i = 0; i < n; i++) if (Number.isNaN(x[i]) || Object.is(x[i], -0)) return sortedEachTime(x, half);
  const out = new Float64Array(n);
  const w = new Float64Array(2 * half + 1);
  let len = 0;
  const insert = (v: number) => {
    let i = len++;
    for (; i > 0 && (w[i - 1] as number) > v; i--) w[i] = w[i - 1] as number;
    w[i] = v;
  };
  const remove = (v: number) => {
    let i = 0;
    while (w[i] !== v) i++;
    for (len--; i < len; i++) w[i] = w[i + 1] as number;
  };
  for (let i = 0; i <= Math.min(n - 1, half); i++) insert(x[i] as number);
  for (let k = 0; k < n; k++) {
    if (k > 0) {
      if (k - half - 1 >= 0) remove(x[k - half - 1] as number);
      if (k + half <= n - 1) insert(x[k + half] as number);
    }
    const m = len >> 1;
    out[k] = len % 2 ? (w[m] as number) : ((w[m - 1] as number) + (w[m] as number)) / 2;
  }
  return out;
}

/** runningMedian by sorting every window (NaN last, −0 before 0, as Float64Array's sort orders them). */
function sortedEachTime(x: ArrayLike<number>, half: number): Float64Array {
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
