export type Rgb = readonly [number, number, number];

export interface MedianCutOptions {
  /** RGB frames whose colours the palette is cut from (a sample of the GIF's frames). */
  readonly frames: readonly Uint8Array[];
  /** Entries of the palette, the exact colours included. */
  readonly colours: number;
  /**
   * Colours that keep an entry of their own whatever the frames hold (the overlays: a gel centre of a
   * few pixels must not take the mean of the camera image around it). Ignored when they would take
   * more than half the palette.
   */
  readonly exact?: readonly Rgb[];
}

/** 5 bits per channel: the histogram's and the lookup's resolution. */
const BINS = 1 << 15;

function binOf(r: number, g: number, b: number): number {
  return ((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3);
}

function channel(bin: number, axis: number): number {
  return (bin >> (10 - 5 * axis)) & 31;
}

interface Box {
  readonly bins: number[];
  /** Widest channel range of the box and its axis (cached: the cut looks at every box each step). */
  readonly span: number;
  readonly axis: number;
}

function boxOf(bins: number[]): Box {
  let span = -1;
  let axis = 0;
  for (let a = 0; a < 3; a++) {
    let lo = 31;
    let hi = 0;
    for (const bin of bins) {
      const v = channel(bin, a);
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (hi - lo > span) [span, axis] = [hi - lo, a];
  }
  return { bins, span, axis };
}

/**
 * One palette for every frame of a GIF (median cut over a 5-bit-per-channel histogram of a sample of
 * frames, each box's entry the mean of its pixels) and the lookup that indexes a frame through it:
 * each pixel goes to its histogram bin's entry, a bin the sample never saw to the entry nearest its
 * centre, and a pixel of exactly one of the exact colours to that colour's own entry.
 *
 * Why a palette of our own rather than the encoder's: libvips quantises every frame of a noisy strip
 * again (most of a GIF's time on sensor noise), and rounds a palette of 224…128 colours up to 256.
 */
export class IndexedPalette {
  /** The entries, RGB triples: exact colours first, then the boxes. */
  readonly rgb: Uint8Array;
  private readonly lookup: Uint8Array;
  /** Bins whose lookup is set: the sample's, and those met since (a bin's nearest entry is found once). */
  private readonly seen: Uint8Array;
  /** Bins holding an exact colour: their pixels are compared to it before the lookup. */
  private readonly exactBin: Uint8Array;
  private readonly exact: readonly Rgb[];

  private constructor(options: {
    rgb: Uint8Array;
    lookup: Uint8Array;
    seen: Uint8Array;
    exact: readonly Rgb[];
  }) {
    this.rgb = options.rgb;
    this.lookup = options.lookup;
    this.seen = options.seen;
    this.exact = options.exact;
    this.exactBin = new Uint8Array(BINS);
    for (const [r, g, b] of options.exact) this.exactBin[binOf(r, g, b)] = 1;
  }

  get size(): number {
    return this.rgb.length / 3;
  }

  static medianCut(options: MedianCutOptions): IndexedPalette {
    const exact = (options.exact?.length ?? 0) * 2 <= options.colours ? (options.exact ?? []) : [];
    const exactBin = new Uint8Array(BINS);
    for (const [r, g, b] of exact) exactBin[binOf(r, g, b)] = 1;
    const isExact = (r: number, g: number, b: number) =>
      exact.some(([er, eg, eb]) => er === r && eg === g && eb === b);

    const count = new Float64Array(BINS);
    const sums = new Float64Array(BINS * 3);
    for (const frame of options.frames)
      for (let i = 0; i < frame.length; i += 3) {
        const r = frame[i] as number;
        const g = frame[i + 1] as number;
        const b = frame[i + 2] as number;
        const bin = binOf(r, g, b);
        if (exactBin[bin] === 1 && isExact(r, g, b)) continue;
        count[bin] = (count[bin] as number) + 1;
        sums[bin * 3] = (sums[bin * 3] as number) + r;
        sums[bin * 3 + 1] = (sums[bin * 3 + 1] as number) + g;
        sums[bin * 3 + 2] = (sums[bin * 3 + 2] as number) + b;
      }
    const used: number[] = [];
    for (let b = 0; b < BINS; b++) if ((count[b] as number) > 0) used.push(b);

    const target = Math.max(1, options.colours - exact.length);
    // Few bins: each its own box (a bin may still hold several colours: they share its mean).
    const boxes: Box[] =
      used.length <= target ? used.map((bin) => boxOf([bin])) : used.length ? [boxOf(used)] : [];
    while (boxes.length < target) {
      // Split the box spanning the widest channel range at its pixels' median.
      let best = -1;
      for (let i = 0; i < boxes.length; i++) {
        const box = boxes[i] as Box;
        if (box.bins.length > 1 && (best < 0 || box.span > (boxes[best] as Box).span)) best = i;
      }
      if (best < 0) break;
      const { bins, axis } = boxes[best] as Box;
      bins.sort((a, b) => channel(a, axis) - channel(b, axis));
      const total = bins.reduce((n, b) => n + (count[b] as number), 0);
      let acc = 0;
      let cut = 1;
      for (; cut < bins.length - 1; cut++) {
        acc += count[bins[cut - 1] as number] as number;
        if (acc >= total / 2) break;
      }
      boxes.splice(best, 1, boxOf(bins.slice(0, cut)), boxOf(bins.slice(cut)));
    }

    // At least one entry (black), so an empty sample still gives a valid GIF.
    const rgb = new Uint8Array(Math.max(1, exact.length + boxes.length) * 3);
    exact.forEach((colour, i) => rgb.set(colour, i * 3));
    const lookup = new Uint8Array(BINS);
    const seen = new Uint8Array(BINS);
    boxes.forEach((box, k) => {
      let n = 0;
      let r = 0;
      let g = 0;
      let b = 0;
      for (const bin of box.bins) {
        n += count[bin] as number;
        r += sums[bin * 3] as number;
        g += sums[bin * 3 + 1] as number;
        b += sums[bin * 3 + 2] as number;
      }
      const entry = exact.length + k;
      rgb.set([Math.round(r / n), Math.round(g / n), Math.round(b / n)], entry * 3);
      for (const bin of box.bins) {
        lookup[bin] = entry;
        seen[bin] = 1;
      }
    });
    return new IndexedPalette({ rgb, lookup, seen, exact });
  }

  /** The palette index of every pixel of `frame` (RGB) into `out` (one byte per pixel). */
  index(frame: Uint8Array, out: Uint8Array): void {
    const { lookup, seen, exactBin, exact } = this;
    for (let i = 0, j = 0; j < frame.length; i++, j += 3) {
      const r = frame[j] as number;
      const g = frame[j + 1] as number;
      const b = frame[j + 2] as number;
      const bin = binOf(r, g, b);
      if (exactBin[bin] === 1) {
        const e = exact.findIndex(([er, eg, eb]) => er === r && eg === g && eb === b);
        if (e >= 0) {
          out[i] = e;
          continue;
        }
      }
      if (seen[bin] === 0) {
        lookup[bin] = this.nearest(bin);
        seen[bin] = 1;
      }
      out[i] = lookup[bin] as number;
    }
  }

  /** The entry nearest the centre of a bin the sample never saw. */
  private nearest(bin: number): number {
    const { rgb } = this;
    const r = (channel(bin, 0) << 3) + 4;
    const g = (channel(bin, 1) << 3) + 4;
    const b = (channel(bin, 2) << 3) + 4;
    let nearest = 0;
    let best = Infinity;
    for (let e = 0; e < rgb.length / 3; e++) {
      const d =
        ((rgb[e * 3] as number) - r) ** 2 +
        ((rgb[e * 3 + 1] as number) - g) ** 2 +
        ((rgb[e * 3 + 2] as number) - b) ** 2;
      if (d < best) [best, nearest] = [d, e];
    }
    return nearest;
  }
}
