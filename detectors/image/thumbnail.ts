/**
 * The 128×128 thumbnail every metric works on (spec §4): centre-crop to a square of side min(H, W)
 * (rows/columns floor((H−side)/2) onward: columns 80..559 of a 480×640 frame), then area-average
 * down to 128×128, 3 channels, HWC, channel order untouched (BGR stays BGR).
 *
 * Values are the exact weighted means of OpenCV INTER_AREA (see areaTable.ts), computed in integers
 * and rounded half up. For 480 → 128 an exact mean is k/225 and is never a .5 tie, and OpenCV's
 * float32 accumulation errs far less than the 1/450 gap to the nearest tie, so cv2.resize(...,
 * INTER_AREA) should produce the same bytes.
 */

import { resizeBytes } from "./areaBytes.js";
import { resizeSimd, simdPathFits } from "./areaSimd.js";
import { areaTable } from "./areaTable.js";

export const THUMB_SIDE = 128;
export const THUMB_BYTES = THUMB_SIDE * THUMB_SIDE * 3;

/** The centre crop's position and the area table of a frame, after checking the buffers' sizes. */
function cropOf(frame: Uint8Array, height: number, width: number, out: Uint8Array) {
  if (frame.length !== height * width * 3) {
    throw new RangeError(`frame has ${frame.length} bytes, expected ${height}×${width}×3`);
  }
  if (out.length !== THUMB_BYTES) throw new RangeError(`out must hold ${THUMB_BYTES} bytes`);
  const side = Math.min(height, width);
  return { table: areaTable(side, THUMB_SIDE), y0: (height - side) >> 1, x0: (width - side) >> 1 };
}

/**
 * Thumbnail of an H×W×3 uint8 HWC frame, HWC as the metrics read it or channel-first (3, 128, 128)
 * as the `.pt` stores it (the SIMD kernel writes either directly, saving a transpose per frame).
 * Needs min(H, W) ≥ 128: INTER_AREA only averages on a downscale (an upscale is a different
 * interpolation).
 */
export function thumbnail(
  frame: Uint8Array,
  height: number,
  width: number,
  out: Uint8Array = new Uint8Array(THUMB_BYTES),
  order: "hwc" | "chw" = "hwc",
): Uint8Array {
  const { table, y0, x0 } = cropOf(frame, height, width, out);
  if (simdPathFits(table)) resizeSimd(frame, width, y0, x0, table, out, order);
  else if (order === "hwc") resizeBytes(frame, width, y0, x0, table, out);
  else toChannelFirst(thumbnail(frame, height, width), out);
  return out;
}

/** (128,128,3) HWC → (3,128,128) channel-first, as the `.pt` stores it. */
export function toChannelFirst(thumbHWC: Uint8Array, out?: Uint8Array): Uint8Array {
  if (thumbHWC.length !== THUMB_BYTES) throw new RangeError(`thumbnail must hold ${THUMB_BYTES} bytes`);
  const dst = out ?? new Uint8Array(THUMB_BYTES);
  if (dst.length !== THUMB_BYTES) throw new RangeError(`out must hold ${THUMB_BYTES} bytes`);
  const plane = THUMB_SIDE * THUMB_SIDE;
  for (let p = 0, i = 0; p < plane; p++, i += 3) {
    dst[p] = thumbHWC[i]!;
    dst[plane + p] = thumbHWC[i + 1]!;
    dst[2 * plane + p] = thumbHWC[i + 2]!;
  }
  return dst;
}
