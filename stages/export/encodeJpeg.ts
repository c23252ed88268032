import sharp from "sharp";

/**
 * One H×W×3 frame as JPEG. `bgr` frames (the RealSense colour streams) are swapped to RGB in place
 * first: the caller hands over a frame it owns. Huffman optimisation is off: it halves libjpeg's
 * speed for ~25 % smaller files, and an export must keep up with real time.
 */
export async function encodeJpeg(
  frame: Uint8Array,
  size: { readonly width: number; readonly height: number },
  options: { readonly quality: number; readonly bgr: boolean },
): Promise<Uint8Array> {
  if (options.bgr) {
    for (let i = 0; i < frame.length; i += 3) {
      const b = frame[i] as number;
      frame[i] = frame[i + 2] as number;
      frame[i + 2] = b;
    }
  }
  return sharp(frame, { raw: { width: size.width, height: size.height, channels: 3 } })
    .jpeg({ quality: options.quality, optimiseCoding: false })
    .toBuffer();
}
