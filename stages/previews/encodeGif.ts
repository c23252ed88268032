import sharp from "sharp";
import { reducePalette } from "./reducePalette.js";

export interface GifOptions {
  readonly delayMs: number;
  /** Hard cap (spec §6: 4 MB). */
  readonly maxBytes: number;
  /** First palette size; the palette shrinks in steps of 32 down to `minColours`, never below. */
  readonly colours: number;
  readonly minColours: number;
}

export interface GifTry {
  readonly scale: number;
  readonly colours: number;
  /** Undefined when the try was skipped: an earlier size showed it could not fit. */
  readonly bytes?: number;
}

export interface CappedGif {
  readonly gif: Buffer;
  readonly width: number;
  readonly height: number;
  readonly scale: number;
  readonly colours: number;
  readonly tries: readonly GifTry[];
}

/** Spec §6's order: the resolution shrinks first (to half), then the palette, then the resolution again. */
const FIRST_SCALES = [1, 0.75, 0.5];
const LAST_SCALES = [0.4, 0.3, 0.25, 0.2, 0.15, 0.1];
/** A try is skipped only when the size it would reach is clearly above the cap. */
const SKIP_MARGIN = 1.25;

/** The (scale, palette) tries in order. */
export function gifLadder(colours: number, minColours: number): { scale: number; colours: number }[] {
  const tries = FIRST_SCALES.map((scale) => ({ scale, colours }));
  for (let c = colours - 32; c > minColours; c -= 32) tries.push({ scale: 0.5, colours: c });
  if (minColours < colours) tries.push({ scale: 0.5, colours: minColours });
  for (const scale of LAST_SCALES) tries.push({ scale, colours: minColours });
  return tries;
}

/**
 * An animated GIF of `count` frames stacked in `strip` (RGB, width × height each), under the size cap:
 * libvips (sharp) at low effort, every frame kept even when identical to the one before (a stall must
 * stay visible), 256 colours; over the cap, the ladder's next try. A try whose size, predicted from
 * the last one (area × bits per pixel), stays above the cap by a margin is skipped unencoded.
 */
export async function encodeCappedGif(
  strip: Uint8Array,
  width: number,
  height: number,
  count: number,
  options: GifOptions,
): Promise<CappedGif> {
  const tries: GifTry[] = [];
  let last: { scale: number; colours: number; bytes: number } | undefined;
  for (const next of gifLadder(options.colours, options.minColours)) {
    if (last && predicted(last, next) > options.maxBytes * SKIP_MARGIN) {
      tries.push(next);
      continue;
    }
    const w = Math.max(1, Math.round(width * next.scale));
    const h = Math.max(1, Math.round(height * next.scale));
    let frames = next.scale === 1 ? strip : await resizeFrames(strip, width, height, count, w, h);
    if (next.colours < 256) {
      if (frames === strip) frames = strip.slice();
      reducePalette(frames, next.colours);
    }
    const gif = await encode(frames, w, h, count, next.colours, options.delayMs);
    tries.push({ ...next, bytes: gif.length });
    if (gif.length <= options.maxBytes) return { gif, width: w, height: h, ...next, tries };
    last = { ...next, bytes: gif.length };
  }
  throw new RangeError(
    `no GIF under ${options.maxBytes} bytes: ${tries.map((t) => `${t.scale}×/${t.colours}c=${t.bytes ?? "skipped"}`).join(", ")}`,
  );
}

function predicted(
  last: { scale: number; colours: number; bytes: number },
  next: { scale: number; colours: number },
) {
  return last.bytes * (next.scale / last.scale) ** 2 * (Math.log2(next.colours) / Math.log2(last.colours));
}

async function encode(
  frames: Uint8Array,
  w: number,
  h: number,
  count: number,
  colours: number,
  delayMs: number,
) {
  return sharp(frames, {
    raw: { width: w, height: h * count, channels: 3, pageHeight: h },
    limitInputPixels: false,
  })
    .gif({
      colours,
      effort: 1,
      // No dithering and palette reuse across similar frames: 4× faster than libvips' defaults and
      // smaller files (more room under the cap); the panels are flat tiles and text, banding is mild.
      dither: 0,
      interPaletteMaxError: 16,
      keepDuplicateFrames: true,
      delay: new Array<number>(count).fill(delayMs),
      loop: 0,
    })
    .toBuffer();
}

/** Each frame resized on its own, so no filter blends the bottom of one frame into the next. */
async function resizeFrames(
  strip: Uint8Array,
  width: number,
  height: number,
  count: number,
  w: number,
  h: number,
) {
  const out = new Uint8Array(w * h * 3 * count);
  const frameBytes = width * height * 3;
  for (let i = 0; i < count; i++) {
    const frame = strip.subarray(i * frameBytes, (i + 1) * frameBytes);
    const resized = await sharp(frame, { raw: { width, height, channels: 3 } })
      .resize(w, h, { kernel: "lanczos3", fit: "fill" })
      .raw()
      .toBuffer();
    out.set(resized, i * w * h * 3);
  }
  return out;
}
