import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { resizeBytes } from "../../detectors/image/areaBytes.js";
import { resizeSimd, simdPathFits } from "../../detectors/image/areaSimd.js";
import { areaTable } from "../../detectors/image/areaTable.js";
import { THUMB_BYTES, THUMB_SIDE, thumbnail, toChannelFirst } from "../../detectors/image/index.js";
import { unaligned } from "./python.js";

/** Deterministic noise over the full byte range (xorshift32). */
function noise(bytes: number, seed: number): Uint8Array {
  const out = new Uint8Array(bytes);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < bytes; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

function both(frame: Uint8Array, height: number, width: number) {
  const side = Math.min(height, width);
  const table = areaTable(side, THUMB_SIDE);
  const [y0, x0] = [(height - side) >> 1, (width - side) >> 1];
  const simd = new Uint8Array(THUMB_BYTES);
  const bytes = new Uint8Array(THUMB_BYTES);
  resizeSimd(frame, width, y0, x0, table, simd);
  resizeBytes(frame, width, y0, x0, table, bytes);
  return { simd, bytes };
}

describe("area resize, WebAssembly SIMD path", () => {
  it("takes the shapes it can sum exactly and leaves the others to the byte path", () => {
    expect([480, 384, 320, 256, 128].map((side) => simdPathFits(areaTable(side, THUMB_SIDE)))).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    // 481·3 is not a whole number of 16-byte groups; 720 → 128 has cell 45 (sums overflow 16 bits).
    expect([481, 720].map((side) => simdPathFits(areaTable(side, THUMB_SIDE)))).toEqual([false, false]);
  });

  it("gives the byte path's exact bytes on noise, for every shape it takes, aligned or not", () => {
    for (const [height, width] of [
      [480, 640],
      [640, 480],
      [384, 512],
      [320, 321],
      [256, 300],
      [480, 640], // back to the first shape after others: the memory layout is rebuilt, not reused stale
    ] as const) {
      const frame = noise(height * width * 3, height * 7919 + width);
      for (const input of [frame, unaligned(frame)]) {
        const { simd, bytes } = both(input, height, width);
        let differing = 0;
        for (let i = 0; i < THUMB_BYTES; i++) if (simd[i] !== bytes[i]) differing++;
        expect(differing, `${height}×${width}`).toBe(0);
      }
    }
  });

  it("writes channel-first on request: the HWC thumbnail transposed, on the SIMD path and off it", () => {
    for (const [height, width] of [
      [480, 640],
      [481, 643],
    ] as const) {
      const frame = noise(height * width * 3, width);
      const chw = thumbnail(frame, height, width, new Uint8Array(THUMB_BYTES), "chw");
      expect(
        Buffer.from(chw).equals(Buffer.from(toChannelFirst(thumbnail(frame, height, width)))),
        `${height}×${width}`,
      ).toBe(true);
    }
  });

  it("reaches the extreme sums: all-255 stays 255, all-0 stays 0", () => {
    for (const value of [0, 255]) {
      const { simd } = both(new Uint8Array(480 * 640 * 3).fill(value), 480, 640);
      expect(simd.every((v) => v === value)).toBe(true);
    }
  });

  it("runs the kernel the committed .wat assembles to (areaSimdWasm.ts is not stale)", () => {
    const script = fileURLToPath(new URL("../../scripts/build-wasm.mjs", import.meta.url));
    const run = spawnSync(process.execPath, [script, "--check"], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  });
});
