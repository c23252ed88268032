import sharp from "sharp";
import { GifFrameWriter } from "./GifFrameWriter.js";
import { IndexedPalette, type Rgb } from "./IndexedPalette.js";

export interface GifOptions {
  readonly delayMs: number;
  /** Hard cap (spec §6: 4 MB). */
  readonly maxBytes: number;
  /** First palette size; the palette shrinks in steps of 32 down to `minColours`, never below. */
  readonly colours: number;
  readonly minColours: number;
  /** Colours drawn by the overlays: each keeps an exact entry of its own in every palette. */
  readonly exactColours?: readonly Rgb[];
}

export interface GifTry {
  readonly scale: number;
  readonly colours: number;
  /** The size predicted from the sample's frames; undefined when the try was skipped unsampled. */
  readonly predictedBytes?: number;
  /** The size of the whole GIF; undefined when the try was not encoded (the prediction did not fit). */
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
/** A try is skipped unsampled only when the size the last one implies is clearly above the cap. */
const SKIP_MARGIN = 1.25;
/** Frames encoded to predict a try's size (evenly spread, the first included). */
const SAMPLE_FRAMES = 6;
/**
 * A prediction from a sample must clear the cap by this much before the whole GIF is encoded: a
 * miss costs a second encode. When the sample is every frame, the prediction is the size itself.
 */
const FIT_MARGIN = 0.95;

/** The (scale, palette) tries in order. */
export function gifLadder(colours: number, minColours: number): { scale: number; colours: number }[] {
  const tries = FIRST_SCALES.map((scale) => ({ scale, colours }));
  for (let c = colours - 32; c > minColours; c -= 32) tries.push({ scale: 0.5, colours: c });
  if (minColours < colours) tries.push({ scale: 0.5, colours: minColours });
  for (const scale of LAST_SCALES) tries.push({ scale, colours: minColours });
  return tries;
}

/**
 * An animated GIF of `count` frames stacked in `strip` (RGB, width × height each), under the size cap,
 * at the first try of the ladder that fits. Each try is sized before it is encoded: a sample of frames
 * gets the try's palette (one per GIF, median cut, no dithering) and is encoded; the whole GIF is
 * encoded only when the sample's size, scaled to every frame, fits, so a noisy strip costs one encode
 * of the frames instead of one per try. The sample's frames are reused in the GIF. A try whose size,
 * implied by the last one (area × bits per pixel), stays above the cap by a margin is skipped unsampled.
 */
export async function encodeCappedGif(
  strip: Uint8Array,
  width: number,
  height: number,
  count: number,
  options: GifOptions,
): Promise<CappedGif> {
  if (count < 1) throw new RangeError("a GIF needs at least one frame");
  const frameBytes = width * height * 3;
  const original = (i: number) => strip.subarray(i * frameBytes, (i + 1) * frameBytes);
  const sample = sampleFrames(count, SAMPLE_FRAMES);
  const everyFrame = sample.length === count;
  const sampleAt = new Map<number, Uint8Array[]>();
  const tries: GifTry[] = [];
  let last: { scale: number; colours: number; bytes: number } | undefined;
  for (const next of gifLadder(options.colours, options.minColours)) {
    if (last && implied(last, next) > options.maxBytes * SKIP_MARGIN) {
      tries.push(next);
      continue;
    }
    const w = Math.max(1, Math.round(width * next.scale));
    const h = Math.max(1, Math.round(height * next.scale));
    const frameAt = (i: number) =>
      next.scale === 1 ? Promise.resolve(original(i)) : resizeFrame(original(i), width, height, w, h);
    let sampled = sampleAt.get(next.scale);
    if (!sampled) {
      sampled = await Promise.all(sample.map(frameAt));
      sampleAt.set(next.scale, sampled);
    }
    const palette = IndexedPalette.medianCut({
      frames: sampled,
      colours: next.colours,
      ...(options.exactColours ? { exact: options.exactColours } : {}),
    });
    const writer = new GifFrameWriter({
      width: w,
      height: h,
      palette: palette.rgb,
      delayMs: options.delayMs,
    });
    const index = new Uint8Array(w * h);
    const encodeFrame = (rgb: Uint8Array, i: number) => {
      palette.index(rgb, index);
      return writer.frame(index, i === 0);
    };
    const chunks = new Map(sample.map((i, k) => [i, encodeFrame(sampled[k] as Uint8Array, i)]));
    const predictedBytes = predictedSize(chunks, count);
    if (predictedBytes > options.maxBytes * (everyFrame ? 1 : FIT_MARGIN)) {
      tries.push({ ...next, predictedBytes });
      last = { ...next, bytes: predictedBytes };
      continue;
    }
    const parts: Uint8Array[] = [];
    for (let i = 0; i < count; i++) parts.push(chunks.get(i) ?? encodeFrame(await frameAt(i), i));
    parts.push(GifFrameWriter.TRAILER);
    const gif = Buffer.concat(parts);
    tries.push({ ...next, predictedBytes, bytes: gif.length });
    if (gif.length <= options.maxBytes) return { gif, width: w, height: h, ...next, tries };
    last = { ...next, bytes: gif.length };
  }
  throw new RangeError(
    `no GIF under ${options.maxBytes} bytes: ${tries.map((t) => `${t.scale}×/${t.colours}c=${t.bytes ?? t.predictedBytes ?? "skipped"}`).join(", ")}`,
  );
}

/** `k` frame indices evenly spread over 0…count − 1, the first and the last included (all when fewer). */
function sampleFrames(count: number, k: number): number[] {
  if (count <= k) return Array.from({ length: count }, (_, i) => i);
  return Array.from({ length: k }, (_, j) => Math.round((j * (count - 1)) / (k - 1)));
}

/** The GIF's size from the sample's frames: the first (with the header and palette) plus the mean of the others. */
function predictedSize(chunks: ReadonlyMap<number, Uint8Array>, count: number): number {
  let first = 0;
  let others = 0;
  for (const [i, chunk] of chunks)
    if (i === 0) first = chunk.length;
    else others += chunk.length;
  const rest = chunks.size > 1 ? (others / (chunks.size - 1)) * (count - 1) : 0;
  return Math.round(first + rest + GifFrameWriter.TRAILER.length);
}

function implied(
  last: { scale: number; colours: number; bytes: number },
  next: { scale: number; colours: number },
) {
  return last.bytes * (next.scale / last.scale) ** 2 * (Math.log2(next.colours) / Math.log2(last.colours));
}

/** One frame resized on its own, so no filter blends the bottom of one frame into the next. */
async function resizeFrame(frame: Uint8Array, width: number, height: number, w: number, h: number) {
  const resized = await sharp(frame, { raw: { width, height, channels: 3 } })
    .resize(w, h, { kernel: "lanczos3", fit: "fill" })
    .raw()
    .toBuffer();
  return new Uint8Array(resized.buffer, resized.byteOffset, resized.length);
}
