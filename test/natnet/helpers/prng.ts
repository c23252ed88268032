/** The generator's seeded mulberry32, so every fuzz run mutates the same way. Returns [0, 1). */
export { mulberry32 } from "../../../sim/episode/prng.js";

/** An integer in [0, n). */
export function below(random: () => number, n: number): number {
  return Math.floor(random() * n);
}
