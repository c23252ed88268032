/**
 * The w/2 × h/2 tile of the crop (x0, y0, w, h) of an HWC frame `width` pixels wide: each output
 * pixel the mean of a 2×2 block, rounded half up (area averaging at exactly half size). Channel order
 * is kept.
 */
export function halfTile(
  frame: Uint8Array,
  width: number,
  x0: number,
  y0: number,
  w: number,
  h: number,
  out = new Uint8Array((w >> 1) * (h >> 1) * 3),
): Uint8Array {
  const ow = w >> 1;
  const oh = h >> 1;
  const stride = width * 3;
  let o = 0;
  for (let oy = 0; oy < oh; oy++) {
    let a = ((y0 + 2 * oy) * width + x0) * 3;
    for (let ox = 0; ox < ow; ox++, a += 6) {
      const b = a + stride;
      for (let c = 0; c < 3; c++) {
        out[o++] =
          ((frame[a + c] as number) +
            (frame[a + 3 + c] as number) +
            (frame[b + c] as number) +
            (frame[b + 3 + c] as number) +
            2) >>
          2;
      }
    }
  }
  return out;
}

/** frame − reference + 128, clipped to 0..255, per byte (spec §6's GelSight diff). */
export function diffTile(
  frame: Uint8Array,
  reference: Uint8Array,
  out = new Uint8Array(frame.length),
): Uint8Array {
  for (let i = 0; i < frame.length; i++) {
    const v = (frame[i] as number) - (reference[i] as number) + 128;
    out[i] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
  return out;
}
