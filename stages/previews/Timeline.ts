import type { Interval } from "../../detectors/intervals.js";
import type { Canvas, Rect } from "./Canvas.js";
import { COLOURS } from "./panelLayout.js";

/**
 * The whole take as a bar: flagged frames red, the current frame a white cursor, so a person sees
 * where the panel is and where the faults are without watching the whole GIF.
 */
export class Timeline {
  private readonly bad: Uint8Array;

  constructor(
    private readonly frames: number,
    lists: readonly (readonly Interval[])[],
  ) {
    this.bad = new Uint8Array(Math.max(frames, 1));
    for (const list of lists)
      for (const [a, b] of list) this.bad.fill(1, Math.max(0, a), Math.min(frames, b + 1));
  }

  /** `frame` is post-trim. Each pixel column covers a run of frames; any flagged frame in it turns it red. */
  draw(canvas: Canvas, rect: Rect, frame: number): void {
    canvas.fill(rect.x, rect.y, rect.w, rect.h, COLOURS.dim);
    const perColumn = this.frames / rect.w;
    for (let c = 0; c < rect.w; c++) {
      const a = Math.floor(c * perColumn);
      const b = Math.max(a + 1, Math.floor((c + 1) * perColumn));
      if (this.bad.subarray(a, b).includes(1)) canvas.fill(rect.x + c, rect.y, 1, rect.h, COLOURS.bad);
    }
    const at = rect.x + Math.min(rect.w - 1, Math.floor(frame / perColumn));
    canvas.fill(at - 1, rect.y - 4, 3, rect.h + 8, COLOURS.text);
  }
}
