/**
 * `count` H5 frame indices evenly spread over [startFraction, endFraction] of the kept frames
 * `from`…`from + frames − 1` (spec §6: 60 frames over [2 %, 98 %]). Always `count` of them: on a
 * take shorter than that, frames repeat (and stay in the GIF: duplicates are kept). Integer
 * arithmetic, each index rounded half up.
 */
export function previewFrames(
  from: number,
  frames: number,
  count: number,
  startFraction: number,
  endFraction: number,
): number[] {
  if (frames <= 0 || count <= 0) return [];
  const first = from + Math.round(startFraction * (frames - 1));
  const last = from + Math.round(endFraction * (frames - 1));
  if (count === 1) return [first];
  const span = last - first;
  const den = 2 * (count - 1);
  return Array.from({ length: count }, (_, k) => first + Math.floor((2 * k * span + count - 1) / den));
}

/** `count` frames over [a, b] (a clip's window), every frame when it holds no more. */
export function clipFrames(a: number, b: number, count: number): number[] {
  const n = b - a + 1;
  if (n <= count) return Array.from({ length: n }, (_, k) => a + k);
  return previewFrames(a, n, count, 0, 1);
}
