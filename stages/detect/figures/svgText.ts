import { GLYPH_HEIGHT, GLYPH_WIDTH, glyphRows } from "../../previews/bitmapFont.js";

/**
 * Text as one SVG path of pixel rectangles from the previews' 5×7 bitmap font: librsvg needs a system
 * font to draw <text>, and a recording PC or CI box may have none, so no figure uses <text>.
 * `x`, `y` are the top-left corner; `scale` is the size of one font pixel.
 */
export function svgText(
  text: string,
  x: number,
  y: number,
  options: { readonly scale?: number; readonly fill: string; readonly anchor?: "start" | "end" | "middle" },
): string {
  const scale = options.scale ?? 2;
  const width = textWidth(text, scale);
  const x0 = options.anchor === "end" ? x - width : options.anchor === "middle" ? x - width / 2 : x;
  let d = "";
  [...text].forEach((char, i) => {
    const rows = glyphRows(char);
    const cx = x0 + i * (GLYPH_WIDTH + 1) * scale;
    for (let r = 0; r < GLYPH_HEIGHT; r++) {
      const mask = rows[r] as number;
      const on = (c: number) => c < GLYPH_WIDTH && (mask & (1 << (GLYPH_WIDTH - 1 - c))) !== 0;
      // A run of lit font pixels as one rectangle: the same pixels, fewer segments for librsvg to parse.
      for (let c = 0; c < GLYPH_WIDTH; c++) {
        if (!on(c)) continue;
        let end = c + 1;
        while (on(end)) end++;
        const w = (end - c) * scale;
        d += `M${cx + c * scale} ${y + r * scale}h${w}v${scale}h${-w}z`;
        c = end;
      }
    }
  });
  return d === "" ? "" : `<path d="${d}" fill="${options.fill}"/>`;
}

/** Width of a text line drawn at `scale`. */
export function textWidth(text: string, scale = 2): number {
  return [...text].length * (GLYPH_WIDTH + 1) * scale - scale;
}

/** Height of a text line drawn at `scale`. */
export const textHeight = (scale = 2): number => GLYPH_HEIGHT * scale;
