import { GLYPH_HEIGHT, GLYPH_WIDTH, glyphRows } from "./bitmapFont.js";

/** Three bytes in the canvas' own channel order. */
export type Colour = readonly [number, number, number];

/**
 * An HWC 3-channel image the panel is drawn on. It holds bytes in one channel order throughout (the
 * panel works in the cameras' BGR); `swapRedBlue` is the single conversion, done once at the end.
 */
export class Canvas {
  readonly data: Uint8Array;

  /** `data`, when given, is drawn on in place (a slice of a GIF's frame strip). */
  constructor(
    readonly width: number,
    readonly height: number,
    data?: Uint8Array,
  ) {
    if (data && data.length !== width * height * 3)
      throw new RangeError(`canvas data has ${data.length} bytes, expected ${width}×${height}×3`);
    this.data = data ?? new Uint8Array(width * height * 3);
  }

  fill(x: number, y: number, w: number, h: number, colour: Colour): void {
    const [x0, y0, x1, y1] = this.clip(x, y, x + w, y + h);
    for (let yy = y0; yy < y1; yy++) {
      for (let xx = x0, i = (yy * this.width + x0) * 3; xx < x1; xx++, i += 3) {
        this.data[i] = colour[0];
        this.data[i + 1] = colour[1];
        this.data[i + 2] = colour[2];
      }
    }
  }

  /** Copies a w×h HWC tile to (x, y); `swapRedBlue` reverses its channel order on the way in. */
  put(tile: Uint8Array, w: number, h: number, x: number, y: number, swapRedBlue = false): void {
    for (let row = 0; row < h; row++) {
      const yy = y + row;
      if (yy < 0 || yy >= this.height) continue;
      const src = tile.subarray(row * w * 3, (row + 1) * w * 3);
      const at = (yy * this.width + x) * 3;
      if (!swapRedBlue) {
        this.data.set(src, at);
        continue;
      }
      for (let i = 0; i < w * 3; i += 3) {
        this.data[at + i] = src[i + 2] as number;
        this.data[at + i + 1] = src[i + 1] as number;
        this.data[at + i + 2] = src[i] as number;
      }
    }
  }

  /** A ring of the given thickness centred on (cx, cy), clipped to the rectangle `within`. */
  ring(cx: number, cy: number, radius: number, thickness: number, colour: Colour, within?: Rect): void {
    const outer = radius + thickness / 2;
    const inner = Math.max(0, radius - thickness / 2);
    this.disc(cx, cy, outer, colour, within, inner);
  }

  /** A filled disc; with `hole` > 0 only the annulus between `hole` and `radius`. */
  disc(cx: number, cy: number, radius: number, colour: Colour, within?: Rect, hole = 0): void {
    const box = within ?? { x: 0, y: 0, w: this.width, h: this.height };
    const [x0, y0, x1, y1] = this.clip(
      Math.max(box.x, Math.floor(cx - radius)),
      Math.max(box.y, Math.floor(cy - radius)),
      Math.min(box.x + box.w, Math.ceil(cx + radius) + 1),
      Math.min(box.y + box.h, Math.ceil(cy + radius) + 1),
    );
    const r2 = radius * radius;
    const h2 = hole * hole;
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        // Pixel centres: pixel (x, y) covers [x, x+1) × [y, y+1).
        const d2 = (x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2;
        if (d2 > r2 || d2 < h2) continue;
        const i = (y * this.width + x) * 3;
        this.data[i] = colour[0];
        this.data[i + 1] = colour[1];
        this.data[i + 2] = colour[2];
      }
    }
  }

  /** A rectangle's outline, drawn inside it. */
  border(rect: Rect, thickness: number, colour: Colour): void {
    const { x, y, w, h } = rect;
    this.fill(x, y, w, thickness, colour);
    this.fill(x, y + h - thickness, w, thickness, colour);
    this.fill(x, y, thickness, h, colour);
    this.fill(x + w - thickness, y, thickness, h, colour);
  }

  /** Text in the 5×7 font at an integer scale; characters advance by 6 font pixels. */
  text(x: number, y: number, text: string, scale: number, colour: Colour): void {
    let cx = x;
    for (const char of text) {
      const rows = glyphRows(char);
      for (let r = 0; r < GLYPH_HEIGHT; r++) {
        const mask = rows[r] as number;
        for (let c = 0; c < GLYPH_WIDTH; c++) {
          if (mask & (1 << (GLYPH_WIDTH - 1 - c)))
            this.fill(cx + c * scale, y + r * scale, scale, scale, colour);
        }
      }
      cx += (GLYPH_WIDTH + 1) * scale;
    }
  }

  /** Reverses the channel order of every pixel in place: the panel's one BGR → RGB conversion. */
  swapRedBlue(): void {
    const d = this.data;
    for (let i = 0; i < d.length; i += 3) {
      const b = d[i] as number;
      d[i] = d[i + 2] as number;
      d[i + 2] = b;
    }
  }

  private clip(x0: number, y0: number, x1: number, y1: number): [number, number, number, number] {
    return [
      Math.max(0, Math.floor(x0)),
      Math.max(0, Math.floor(y0)),
      Math.min(this.width, Math.floor(x1)),
      Math.min(this.height, Math.floor(y1)),
    ];
  }
}

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** Width of a text line in canvas pixels. */
export function textWidth(text: string, scale: number): number {
  return [...text].length * (GLYPH_WIDTH + 1) * scale - scale;
}
