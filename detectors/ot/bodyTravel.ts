import { percentile } from "../stats.js";

/**
 * How far a body travelled during a take, robust to solver glitches: the norm of the per-axis
 * p1–p99 range of its valid positions (a 2-sample teleport cannot make a resting body "move").
 */
export function bodyTravel(positions: readonly (readonly [number, number, number])[]): number {
  if (positions.length === 0) return 0;
  let sum = 0;
  for (let axis = 0; axis < 3; axis++) {
    const values = positions.map((p) => p[axis] as number);
    const range = percentile(values, 99) - percentile(values, 1);
    sum += range * range;
  }
  return Math.sqrt(sum);
}
