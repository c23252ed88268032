import { describe, expect, it } from "vitest";
import { columnFrames, frameColumns } from "../../stages/detect/figures/figureLayout.js";

/** The definition: every column scanned, the first and last that show a frame of [a, b]. */
function scanned(a: number, b: number, frames: number, width: number): [number, number] {
  let first = -1;
  let last = -1;
  for (let c = 0; c < width; c++) {
    const [lo, hi] = columnFrames(c, frames, width);
    if (lo <= b && hi >= a) {
      if (first < 0) first = c;
      last = c;
    }
  }
  return [first, last];
}

describe("frameColumns: the columns showing frames [a, b] of a timeline", () => {
  it("equals the column scan for every interval of takes shorter and longer than the plot", () => {
    const differing: string[] = [];
    let none = 0;
    for (let width = 1; width <= 24; width++)
      for (let frames = 1; frames <= 40; frames++)
        for (let a = -2; a <= frames + 1; a++)
          for (let b = a; b <= frames + 1; b++) {
            const [got, want] = [frameColumns(a, b, frames, width), scanned(a, b, frames, width)];
            if (got[0] !== want[0] || got[1] !== want[1]) differing.push(`${a}-${b}/${frames}/${width}`);
            if (want[0] < 0) none++;
          }
    expect(differing).toEqual([]);
    // Among the cases, per take and width, three intervals before frame 0 and three after the last.
    expect(none).toBe(24 * 40 * 6);
  });

  it("equals the column scan on the real plot (1,200 columns) for a 10 s and a 10 min take", () => {
    for (const frames of [300, 18_000])
      for (const [a, b] of [
        [0, 0],
        [0, frames - 1],
        [frames - 1, frames - 1],
        [7, 7],
        [123, 456],
        [frames - 61, frames + 5],
        [frames, frames + 3],
      ] as const)
        expect(frameColumns(a, b, frames, 1200)).toEqual(scanned(a, b, frames, 1200));
    expect(frameColumns(7, 7, 300, 1200)).toEqual([28, 31]);
    expect(frameColumns(300, 303, 300, 1200)).toEqual([-1, -1]);
  });
});
