import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { mulberry32 } from "../../sim/episode/prng.js";
import { encodeCappedGif, gifLadder, previewFrames } from "../../stages/previews/index.js";
import { tempDir } from "../helpers/paths.js";
import { pillowGif } from "./previewReference.js";

const W = 1280;
const H = 480;
const dir = tempDir("rigwatch-gif-");
afterAll(() => dir.cleanup());

const options = { delayMs: 100, maxBytes: 4_000_000, colours: 256, minColours: 128 };

describe("GIF size cap (spec §6: 4 MB)", () => {
  it("shrinks the resolution first, then the palette in steps of 32 down to 128, then the resolution again", () => {
    expect(gifLadder(256, 128)).toEqual([
      { scale: 1, colours: 256 },
      { scale: 0.75, colours: 256 },
      { scale: 0.5, colours: 256 },
      { scale: 0.5, colours: 224 },
      { scale: 0.5, colours: 192 },
      { scale: 0.5, colours: 160 },
      { scale: 0.5, colours: 128 },
      { scale: 0.4, colours: 128 },
      { scale: 0.3, colours: 128 },
      { scale: 0.25, colours: 128 },
      { scale: 0.2, colours: 128 },
      { scale: 0.15, colours: 128 },
      { scale: 0.1, colours: 128 },
    ]);
  });

  it("fits noisy full-size frames that overflow the cap under 4 MB in one encode, never below 128 colours", async () => {
    // Uniform noise: nothing for LZW to find, ~1 byte per pixel at full size (24 frames ≈ 15 MB).
    const n = 24;
    const strip = new Uint8Array(W * H * 3 * n);
    const random = mulberry32(7);
    for (let i = 0; i < strip.length; i++) strip[i] = Math.floor(random() * 256);
    const result = await encodeCappedGif(strip, W, H, n, options);

    expect(result.gif.length).toBeLessThanOrEqual(4_000_000);
    // The ladder's order was kept; every try before the last was predicted over the cap from the
    // sample (or skipped as hopeless from the one before), so only the last was encoded whole.
    const ladder = gifLadder(256, 128);
    expect(result.tries.map(({ scale, colours }) => ({ scale, colours }))).toEqual(
      ladder.slice(0, result.tries.length),
    );
    expect(result.tries[0]?.predictedBytes).toBeGreaterThan(4_000_000);
    for (const t of result.tries.slice(0, -1)) {
      expect(t.bytes).toBeUndefined();
      if (t.predictedBytes !== undefined) expect(t.predictedBytes).toBeGreaterThan(0.95 * 4_000_000);
    }
    const last = result.tries.at(-1);
    expect(last?.bytes).toBe(result.gif.length);
    // On noise, the sample's prediction is within 2 % of the size.
    expect(Math.abs((last?.predictedBytes as number) / result.gif.length - 1)).toBeLessThan(0.02);
    expect(result.colours).toBe(128);
    expect([result.width, result.height]).toEqual([
      Math.round(W * result.scale),
      Math.round(H * result.scale),
    ]);

    const path = join(dir.path, "noise.gif");
    writeFileSync(path, result.gif);
    const decoded = pillowGif(path);
    expect(decoded.frames).toBe(n);
    expect(decoded.size).toEqual([result.width, result.height]);
    expect(decoded.durations).toEqual(new Array(n).fill(100));
    expect(Math.max(...decoded.colours)).toBeLessThanOrEqual(128);
  }, 60_000);

  it("keeps the full size and 256 colours when the GIF fits", async () => {
    const n = 10;
    const strip = new Uint8Array(W * H * 3 * n).fill(90);
    const result = await encodeCappedGif(strip, W, H, n, options);
    // Ten frames: the sample is every frame, so its prediction is the size itself.
    expect(result.tries).toEqual([
      { scale: 1, colours: 256, predictedBytes: result.gif.length, bytes: result.gif.length },
    ]);
    expect([result.width, result.height, result.colours]).toEqual([W, H, 256]);
  });
});

describe("duplicate frames", () => {
  it("stay in the GIF (a stall must stay visible), each with its own delay", async () => {
    const n = 12;
    const strip = new Uint8Array(W * H * 3 * n);
    // Frames 0–5 identical, 6–11 identical.
    strip.fill(40, 0, W * H * 3 * 6);
    strip.fill(200, W * H * 3 * 6);
    const path = join(dir.path, "dup.gif");
    writeFileSync(path, (await encodeCappedGif(strip, W, H, n, { ...options, delayMs: 70 })).gif);
    const decoded = pillowGif(path, [[10, 10]]);
    expect(decoded.frames).toBe(12);
    expect(decoded.durations).toEqual(new Array(12).fill(70));
    // Pillow's reading of each frame's first pixel: 40 then 200 (libimagequant may move a level by one).
    const firstPixel = decoded.at.map((p) => p[0]?.[0] as number);
    expect(firstPixel.map((v) => (Math.abs(v - 40) <= 1 ? 40 : Math.abs(v - 200) <= 1 ? 200 : v))).toEqual([
      40, 40, 40, 40, 40, 40, 200, 200, 200, 200, 200, 200,
    ]);
  });
});

describe("preview frames", () => {
  it("are 60 frames evenly spread over [2 %, 98 %] of the kept frames", () => {
    const frames = previewFrames(100, 900, 60, 0.02, 0.98);
    expect(frames).toHaveLength(60);
    expect(frames[0]).toBe(100 + 18); // round(0.02 × 899)
    expect(frames[59]).toBe(100 + 881); // round(0.98 × 899)
    expect(frames.slice(0, 5)).toEqual([118, 133, 147, 162, 177]); // NumPy: round(linspace(118, 981, 60))
    // Strictly increasing with steps of 14 or 15 (863 frames over 59 gaps).
    const steps = frames.slice(1).map((f, i) => f - (frames[i] as number));
    expect(new Set(steps)).toEqual(new Set([14, 15]));
  });

  it("repeat frames of a take shorter than 60 frames rather than showing fewer", () => {
    const frames = previewFrames(0, 20, 60, 0.02, 0.98);
    expect(frames).toHaveLength(60);
    expect(frames[0]).toBe(0);
    expect(frames[59]).toBe(19);
    expect(new Set(frames).size).toBe(20);
  });
});
