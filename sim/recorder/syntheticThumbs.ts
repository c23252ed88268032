import { THUMB_SHAPE } from "../../hw/tap/protocol.js";

const BYTES = THUMB_SHAPE[0] * THUMB_SHAPE[1] * THUMB_SHAPE[2];

/** A camera view: a diagonal pattern that moves with `content`, so every new frame differs. */
export function cameraThumb(content: number, seed: number): Uint8Array {
  const out = new Uint8Array(BYTES);
  const shift = (content * 3 + seed * 41) & 255;
  for (let y = 0, i = 0; y < 128; y++)
    for (let x = 0; x < 128; x++, i += 3) {
      const v = (x + y + shift) & 255;
      out[i] = v;
      out[i + 1] = (v + 85) & 255;
      out[i + 2] = (v + 170) & 255;
    }
  return out;
}

/**
 * A GelSight at rest: a smooth tinted membrane plus ±2 of sensor noise (new each frame), so its
 * contact intensity stays near 2; `boost` lifts every byte like an LED flicker does.
 */
export function gelThumb(content: number, boost = 0): Uint8Array {
  const out = new Uint8Array(BYTES);
  let state = (content * 2654435761) >>> 0 || 1;
  for (let y = 0, i = 0; y < 128; y++)
    for (let x = 0; x < 128; x++, i += 3) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      const noise = (state & 3) - 2;
      out[i] = clamp(120 + (x >> 3) + noise + boost);
      out[i + 1] = clamp(100 + (y >> 3) + noise + boost);
      out[i + 2] = clamp(140 + noise + boost);
    }
  return out;
}

function clamp(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

/**
 * A still scene's next frame: `thumb` with a few bytes nudged by one level (what sensor noise leaves
 * after the thumbnail's area average), so the frame is new (fresh hash) and the scene has not moved.
 */
export function withSensorNoise(thumb: Uint8Array, tick: number): Uint8Array {
  const out = thumb.slice();
  for (let j = 0; j < 16; j++) {
    const i = ((tick * 16 + j) * 40503) % BYTES;
    out[i] = (out[i] as number) ^ 1;
  }
  return out;
}
