import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { mulberry32 } from "../../sim/episode/prng.js";
import { encodeCappedGif } from "../../stages/previews/index.js";
import { IndexedPalette } from "../../stages/previews/IndexedPalette.js";
import { OVERLAY_RGB } from "../../stages/previews/panelLayout.js";
import { tempDir } from "../helpers/paths.js";
import { pillowGif } from "./previewReference.js";

const dir = tempDir("rigwatch-palette-");
afterAll(() => dir.cleanup());

/** `n` pixels of noise of ±20 levels around (r, g, b), as a sensor's frame would jitter. */
function noisyPixels(n: number, [r, g, b]: readonly [number, number, number], seed: number): Uint8Array {
  const random = mulberry32(seed);
  const out = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    out[i * 3] = r + Math.floor(random() * 41) - 20;
    out[i * 3 + 1] = g + Math.floor(random() * 41) - 20;
    out[i * 3 + 2] = b + Math.floor(random() * 41) - 20;
  }
  return out;
}

function colourAt(palette: IndexedPalette, pixels: Uint8Array, i: number): number[] {
  const index = new Uint8Array(pixels.length / 3);
  palette.index(pixels, index);
  const e = index[i] as number;
  return [...palette.rgb.subarray(e * 3, e * 3 + 3)];
}

describe("IndexedPalette (one median-cut palette per GIF)", () => {
  it("reproduces a frame of few colours exactly, one entry each", () => {
    const colours = [
      [10, 20, 200],
      [200, 60, 0],
      [0, 160, 60],
      [128, 128, 128],
    ];
    const frame = Uint8Array.from(colours.flatMap((c) => [...c, ...c]));
    const palette = IndexedPalette.medianCut({ frames: [frame], colours: 256 });
    expect(palette.size).toBe(4);
    expect(colours.map((_, i) => colourAt(palette, frame, 2 * i))).toEqual(colours);
  });

  it("never holds more entries than asked, however many colours the frames have", () => {
    const noise = new Uint8Array(300_000);
    const random = mulberry32(3);
    for (let i = 0; i < noise.length; i++) noise[i] = Math.floor(random() * 256);
    for (const colours of [256, 224, 160, 128]) {
      const palette = IndexedPalette.medianCut({ frames: [noise], colours });
      expect(palette.size).toBe(colours);
      const index = new Uint8Array(noise.length / 3);
      palette.index(noise, index);
      expect(Math.max(...index)).toBeLessThan(colours);
    }
  });

  it("keeps an overlay colour exact among noise of its own hue, where the median cut alone moves it", () => {
    // A gel-centre marker (RGB 0, 230, 255) of 20 pixels inside 100,000 noisy pixels around it.
    const gel = OVERLAY_RGB.find(([r, g, b]) => r === 0 && g === 230 && b === 255);
    expect(gel).toEqual([0, 230, 255]);
    const frame = noisyPixels(100_020, [20, 215, 235], 5);
    for (let i = 0; i < 20; i++) frame.set(gel as readonly number[], i * 3 * 5000);
    const plain = IndexedPalette.medianCut({ frames: [frame], colours: 128 });
    expect(colourAt(plain, frame, 0)).not.toEqual([0, 230, 255]);
    const kept = IndexedPalette.medianCut({ frames: [frame], colours: 128, exact: OVERLAY_RGB });
    expect(kept.size).toBe(128);
    for (let i = 0; i < 20; i++) expect(colourAt(kept, frame, i * 5000)).toEqual([0, 230, 255]);
    // A noise pixel one level off the marker is not taken for it.
    frame.set([1, 230, 255], 3);
    expect(colourAt(kept, frame, 1)).not.toEqual([0, 230, 255]);
  });

  it("maps a colour the sample never saw to the entry nearest it", () => {
    const sample = Uint8Array.from([0, 0, 0, 255, 255, 255, 255, 0, 0]);
    const palette = IndexedPalette.medianCut({ frames: [sample], colours: 16 });
    const unseen = Uint8Array.from([250, 245, 240, 10, 5, 0, 200, 30, 20]);
    expect([0, 1, 2].map((i) => colourAt(palette, unseen, i))).toEqual([
      [255, 255, 255],
      [0, 0, 0],
      [255, 0, 0],
    ]);
  });
});

describe("the GIF keeps the overlays' colours on noisy frames", () => {
  it("as Pillow decodes it, at the size the ladder chose", async () => {
    const W = 640;
    const H = 240;
    const n = 12;
    const strip = noisyPixels(W * H * n, [128, 128, 128], 9);
    // A 12×12 highlight square (RGB 255, 0, 0) at (100, 100) of every frame.
    for (let f = 0; f < n; f++)
      for (let y = 100; y < 112; y++)
        for (let x = 100; x < 112; x++) strip.set([255, 0, 0], ((f * H + y) * W + x) * 3);
    const result = await encodeCappedGif(strip, W, H, n, {
      delayMs: 50,
      maxBytes: 4_000_000,
      colours: 256,
      minColours: 128,
      exactColours: OVERLAY_RGB,
    });
    expect([result.scale, result.colours]).toEqual([1, 256]);
    const path = join(dir.path, "overlay.gif");
    writeFileSync(path, result.gif);
    const decoded = pillowGif(path, [
      [105, 105],
      [111, 100],
    ]);
    expect(decoded.frames).toBe(n);
    expect(decoded.durations).toEqual(new Array(n).fill(50));
    expect(Math.max(...decoded.colours)).toBeLessThanOrEqual(256);
    for (const frame of decoded.at)
      expect(frame).toEqual([
        [255, 0, 0],
        [255, 0, 0],
      ]);
  });
});
