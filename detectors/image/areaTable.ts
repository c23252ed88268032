/**
 * Separable weight table of an area-average ("box") resize along one axis, as OpenCV INTER_AREA
 * defines it for a downscale: output pixel o covers source interval [o·src/dst, (o+1)·src/dst) and
 * every source pixel contributes in proportion to the part of it that interval covers.
 *
 * Weights are kept as exact integers: measured in units of 1/dst source pixel, every overlap is an
 * integer, and dividing by g = gcd(src, dst) keeps them small. Each output's weights sum to `cell`,
 * so a 2-D output is Σ wy·wx·v / cell², computed exactly in integers and rounded once. That makes
 * the result independent of summation order (no float drift between implementations).
 */
export interface AreaTable {
  readonly src: number;
  readonly dst: number;
  /** First source index of each output. */
  readonly first: Int32Array;
  /** Number of source indices (taps) of each output. */
  readonly count: Int32Array;
  /** Taps per output in `weights` (≥ every count); unused slots are 0. */
  readonly stride: number;
  /** weights[o·stride + k] = integer weight of source first[o] + k. */
  readonly weights: Int32Array;
  /** Sum of each output's weights: src / gcd(src, dst). */
  readonly cell: number;
}

const cache = new Map<string, AreaTable>();

function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

/** The table for resizing `src` samples to `dst` (dst ≤ src); built once per pair and cached. */
export function areaTable(src: number, dst: number): AreaTable {
  if (!Number.isInteger(src) || !Number.isInteger(dst) || dst < 1 || src < dst) {
    throw new RangeError(`area resize needs integer sizes with 1 ≤ dst ≤ src, got ${src} → ${dst}`);
  }
  const key = `${src}:${dst}`;
  const hit = cache.get(key);
  if (hit) return hit;

  const g = gcd(src, dst);
  // At most ceil(src/dst) + 1 source pixels touch one output; pad to ≥ 5 so fixed-tap kernels can
  // read five weights without a bounds case.
  const stride = Math.max(5, Math.ceil(src / dst) + 1);
  const first = new Int32Array(dst);
  const count = new Int32Array(dst);
  const weights = new Int32Array(dst * stride);
  for (let o = 0; o < dst; o++) {
    const lo = o * src;
    const hi = lo + src;
    const s0 = Math.floor(lo / dst);
    const s1 = Math.ceil(hi / dst);
    first[o] = s0;
    count[o] = s1 - s0;
    for (let s = s0; s < s1; s++) {
      weights[o * stride + s - s0] = (Math.min(hi, (s + 1) * dst) - Math.max(lo, s * dst)) / g;
    }
  }
  const table: AreaTable = { src, dst, first, count, stride, weights, cell: src / g };
  cache.set(key, table);
  return table;
}
