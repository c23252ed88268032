import { percentile } from "../stats.js";

/**
 * How far a body travelled during a take, robust to solver glitches: the norm of the per-axis
 * p1–p99 range of its valid positions (a 2-sample teleport cannot make a resting body "move").
 * `axes` holds the x, y and z values of the valid samples.
 */
export function bodyTravel(axes: readonly [ArrayLike<number>, ArrayLike<number>, ArrayLike<number>]): number {
  if (axes[0].length === 0) return 0;
  let sum = 0;
  for (const values of axes) {
    const range = percentile(values, 99) - percentile(values, 1);
    sum += range * range;
  }
  return Math.sqrt(sum);
}
