/**
 * Reduces an RGB strip to at most `colours` colours in place (median cut over a 5-bit-per-channel
 * histogram, each box painted with the mean of its pixels), one palette for every frame.
 *
 * Why here and not in sharp: sharp turns a GIF's `colours` into a bit depth rounded up to 1, 2, 4 or
 * 8 bits, so 224, 192, 160 and 128 colours all come out as 256. With at most N colours in its input,
 * libvips' quantiser keeps at most N.
 */
export function reducePalette(rgb: Uint8Array, colours: number): void {
  const BINS = 1 << 15;
  const count = new Float64Array(BINS);
  const sums = new Float64Array(BINS * 3);
  for (let i = 0; i < rgb.length; i += 3) {
    const bin = binOf(rgb, i);
    count[bin] = (count[bin] as number) + 1;
    sums[bin * 3] = (sums[bin * 3] as number) + (rgb[i] as number);
    sums[bin * 3 + 1] = (sums[bin * 3 + 1] as number) + (rgb[i + 1] as number);
    sums[bin * 3 + 2] = (sums[bin * 3 + 2] as number) + (rgb[i + 2] as number);
  }
  const used: number[] = [];
  for (let b = 0; b < BINS; b++) if ((count[b] as number) > 0) used.push(b);
  // Few bins: each its own box (a bin may still hold several colours, so it is painted all the same).
  const boxes: number[][] = used.length <= colours ? used.map((bin) => [bin]) : [used];
  while (boxes.length < colours) {
    // Split the box spanning the widest channel range (ties: the most pixels).
    let best = -1;
    let bestSpan = 0;
    let bestAxis = 0;
    boxes.forEach((box, i) => {
      if (box.length < 2) return;
      for (let axis = 0; axis < 3; axis++) {
        const span = range(box, axis);
        if (span > bestSpan) [best, bestSpan, bestAxis] = [i, span, axis];
      }
    });
    if (best < 0) break;
    const box = (boxes[best] as number[]).sort((a, b) => channel(a, bestAxis) - channel(b, bestAxis));
    const total = box.reduce((n, b) => n + (count[b] as number), 0);
    let acc = 0;
    let cut = 1;
    for (; cut < box.length - 1; cut++) {
      acc += count[box[cut - 1] as number] as number;
      if (acc >= total / 2) break;
    }
    boxes.splice(best, 1, box.slice(0, cut), box.slice(cut));
  }

  const lut = new Uint8Array(BINS * 3);
  for (const box of boxes) {
    let n = 0;
    let r = 0;
    let g = 0;
    let b = 0;
    for (const bin of box) {
      n += count[bin] as number;
      r += sums[bin * 3] as number;
      g += sums[bin * 3 + 1] as number;
      b += sums[bin * 3 + 2] as number;
    }
    for (const bin of box) lut.set([Math.round(r / n), Math.round(g / n), Math.round(b / n)], bin * 3);
  }
  for (let i = 0; i < rgb.length; i += 3) {
    const bin = binOf(rgb, i) * 3;
    rgb[i] = lut[bin] as number;
    rgb[i + 1] = lut[bin + 1] as number;
    rgb[i + 2] = lut[bin + 2] as number;
  }
}

function binOf(rgb: Uint8Array, i: number): number {
  return (
    (((rgb[i] as number) >> 3) << 10) | (((rgb[i + 1] as number) >> 3) << 5) | ((rgb[i + 2] as number) >> 3)
  );
}

function channel(bin: number, axis: number): number {
  return (bin >> (10 - 5 * axis)) & 31;
}

function range(box: readonly number[], axis: number): number {
  let lo = 31;
  let hi = 0;
  for (const bin of box) {
    const v = channel(bin, axis);
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return hi - lo;
}
