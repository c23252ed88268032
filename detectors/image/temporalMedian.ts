/**
 * Per-pixel temporal median of a set of uint8 images (spec §4: the p01 median over ≤ 300 frames).
 * Same semantics as NumPy `np.median(stack, axis=0)`: for an even count, the mean of the two middle
 * values, so every result is k or k + ½ and exact in float32.
 *
 * Images are copied in as they arrive (the caller may reuse its buffer), then the median is read off
 * per-position histograms: counting beats sorting for 8-bit values, and positions are processed in
 * blocks so each sample is read in contiguous runs while the block's histograms stay in cache.
 */

const BLOCK = 64;

export class TemporalMedian {
  private readonly samples: Uint8Array;
  private n = 0;

  /** Room for `capacity` images of `length` bytes each. */
  constructor(
    readonly capacity: number,
    readonly length: number,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1 || !Number.isInteger(length) || length < 1) {
      throw new RangeError(`TemporalMedian needs positive integer sizes, got ${capacity} × ${length}`);
    }
    this.samples = new Uint8Array(capacity * length);
  }

  /** Images added so far. */
  get count(): number {
    return this.n;
  }

  /** Copies one image in. */
  add(image: Uint8Array): void {
    if (image.length !== this.length)
      throw new RangeError(`image has ${image.length} bytes, expected ${this.length}`);
    if (this.n >= this.capacity) throw new RangeError(`TemporalMedian is full (${this.capacity} images)`);
    this.samples.set(image, this.n * this.length);
    this.n++;
  }

  /** Median image of everything added so far (length values, float32). */
  median(out?: Float32Array): Float32Array {
    const n = this.n;
    if (n === 0) throw new RangeError("median of no images");
    const len = this.length;
    const dst = out ?? new Float32Array(len);
    if (dst.length !== len) throw new RangeError(`out must hold ${len} values`);
    const samples = this.samples;
    const hist = new Int32Array(BLOCK * 256);
    const lo = (n - 1) >> 1;
    const hi = n >> 1;
    for (let p0 = 0; p0 < len; p0 += BLOCK) {
      const block = Math.min(BLOCK, len - p0);
      hist.fill(0);
      for (let s = 0; s < n; s++) {
        const base = s * len + p0;
        for (let q = 0; q < block; q++) hist[(q << 8) + samples[base + q]!]!++;
      }
      for (let q = 0; q < block; q++) {
        // Walk the cumulative count to the values of rank lo and hi (0-based, equal for odd n).
        const h = q << 8;
        let below = 0;
        let v = 0;
        while (below + hist[h + v]! <= lo) below += hist[h + v++]!;
        const vLo = v;
        while (below + hist[h + v]! <= hi) below += hist[h + v++]!;
        dst[p0 + q] = (vLo + v) / 2;
      }
    }
    return dst;
  }
}
