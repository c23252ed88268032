/**
 * Contact metrics of a GelSight thumbnail against its reference (spec §4). With d = per-pixel RGB L2
 * distance: intensity = mean d, area = share of pixels with d > tau, mixed = mean of d·[d > tau].
 */
import { checkPair } from "./l2.js";

export const DEFAULT_TAU = 8.0;

export interface ContactMetrics {
  intensity: number;
  area: number;
  mixed: number;
}

/**
 * One pass over two uint8 HWC images of equal size (128×128×3 thumbnails in practice). Accumulates
 * in float64 and rounds each result to float32 (Math.fround), the dtype the `.pt` stores, so a value
 * written there reads back unchanged. `out` is reused if given.
 */
export function contactMetrics(
  thumb: Uint8Array,
  ref: Uint8Array,
  tau: number = DEFAULT_TAU,
  out?: ContactMetrics,
): ContactMetrics {
  checkPair(thumb.length, ref.length);
  let sum = 0;
  let above = 0;
  let mixed = 0;
  for (let i = 0; i < thumb.length; i += 3) {
    const d0 = thumb[i]! - ref[i]!;
    const d1 = thumb[i + 1]! - ref[i + 1]!;
    const d2 = thumb[i + 2]! - ref[i + 2]!;
    const d = Math.sqrt(d0 * d0 + d1 * d1 + d2 * d2);
    sum += d;
    if (d > tau) {
      above++;
      mixed += d;
    }
  }
  const pixels = thumb.length / 3 || 1;
  const res = out ?? { intensity: 0, area: 0, mixed: 0 };
  res.intensity = Math.fround(sum / pixels);
  res.area = Math.fround(above / pixels);
  res.mixed = Math.fround(mixed / pixels);
  return res;
}
