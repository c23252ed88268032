/**
 * Seeded randomness. Every random stream is derived from (scenario seed, stream id, index) rather than
 * drawn from one shared sequence, so adding a fault or changing the length of one stream never changes
 * the content of another: two scenarios that differ in one fault differ only where that fault is.
 */

/** A source of uniform numbers in [0, 1). */
export type Rng = () => number;

/** mulberry32: a tiny 32-bit generator, plenty for synthetic content and identical on every platform. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Folds integers into one well-mixed 32-bit seed (murmur3 finaliser after each part). */
export function mix(...parts: readonly number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0xcc9e2d51);
    h ^= h >>> 15;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** An independent generator for one stream (and optionally one item) of one scenario. */
export function rngFor(...parts: readonly number[]): Rng {
  return mulberry32(mix(...parts));
}

export function uniform(rng: Rng, lo: number, hi: number): number {
  return lo + (hi - lo) * rng();
}

/** Standard normal deviate (Box–Muller; one of the pair is dropped to keep draws per call fixed). */
export function gauss(rng: Rng): number {
  const u = 1 - rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** Ids of the random streams, so each concern draws from its own sequence. */
export const STREAM = {
  cameraClock: 1,
  otClock: 2,
  otNoise: 3,
  motion: 4,
  contact: 5,
  gelClock: 6,
  cameraNoise: 7,
  depthNoise: 8,
  /** The random preset's draw of a whole scenario (random.ts). */
  scenarioDraw: 9,
  /** The realistic preset's dense sensor noise (sensorNoise.ts). */
  denseNoise: 10,
  gelTexture: 11,
} as const;
