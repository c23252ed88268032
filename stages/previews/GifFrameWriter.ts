import { createRequire } from "node:module";
import type gifencModule from "gifenc";

// CommonJS whose named exports Node's ESM loader misses, and whose "module" build (what vite picks)
// has another default export: require gives the same object everywhere.
const gifenc = createRequire(import.meta.url)("gifenc") as typeof gifencModule;

export interface GifFrameWriterOptions {
  readonly width: number;
  readonly height: number;
  /** The global palette, RGB triples. */
  readonly palette: Uint8Array;
  /** Display time of every frame (stored in hundredths of a second). */
  readonly delayMs: number;
}

/**
 * Writes an animated GIF frame by frame, each frame's bytes on their own (gifenc's LZW), so a frame
 * encoded to predict the GIF's size is kept for the GIF itself. Every frame is whole (no transparency,
 * no frame skipped even when identical to the one before: a stall must stay visible), one global
 * palette, looping forever. The file is `frame(…, true)`, the other frames in order, then `TRAILER`.
 */
export class GifFrameWriter {
  static readonly TRAILER = Uint8Array.of(0x3b);
  private readonly encoder = gifenc.GIFEncoder({ auto: false, initialCapacity: 1 << 16 });
  private readonly palette: number[][];
  /** Bits per index: LZW codes start one wider, so a 128-colour palette costs less than 256. */
  private readonly depth: number;

  constructor(private readonly options: GifFrameWriterOptions) {
    const size = options.palette.length / 3;
    this.palette = Array.from({ length: size }, (_, i) => [...options.palette.subarray(i * 3, i * 3 + 3)]);
    this.depth = Math.max(1, Math.ceil(Math.log2(size)));
  }

  /** One frame (`index`: a palette index per pixel); the first also carries the header and the palette. */
  frame(index: Uint8Array, first: boolean): Uint8Array {
    const { width, height, delayMs } = this.options;
    this.encoder.reset();
    if (first) this.encoder.writeHeader();
    this.encoder.writeFrame(index, width, height, {
      delay: delayMs,
      colorDepth: this.depth,
      ...(first ? { first: true, palette: this.palette, repeat: 0 } : {}),
    });
    return this.encoder.bytes();
  }
}
