import { gauss, mix, mulberry32, rngFor, STREAM } from "./prng.js";

/**
 * How much the generated sensors jitter:
 * - `clean`: a few hundred pixels per colour frame move by ±2 levels (frames never repeat by accident,
 *   BLOSC shrinks a take ~10×: fast, small test files);
 * - `realistic`: every byte of every colour frame jitters (rounded Gaussian, σ 0.8 level: still
 *   frames differ by ~0.9 on average, under spec §3's still-camera limit of 2), depth has σ 2 mm of
 *   noise and ~1.5 % speckle holes (0 mm), each GelSight has its own fixed texture (smooth shading and
 *   a grid of dark markers) and σ 0.5 jitter on every new gel frame. BLOSC-LZ4 then compresses a take
 *   ~1.6× (colour 1.5×, depth 2.25×, gel 1.5×), as the rig's takes, not ~10×. A texture of per-pixel
 *   noise would be incompressible to LZ4 (h5wasm's BLOSC filter then refuses the chunk).
 */
export const SENSOR_NOISE = ["clean", "realistic"] as const;
export type SensorNoise = (typeof SENSOR_NOISE)[number];

const COLOUR_SIGMA = 0.8;
const DEPTH_SIGMA_MM = 2;
const DEPTH_HOLE_FRACTION = 0.015;
const GEL_SIGMA = 0.5;
/** Noise tables are this long; a frame adds a window of it at a random offset. */
const TABLE_LENGTH = 1 << 22;
/** Depth table value meaning "no depth here" (a speckle hole). */
const HOLE = -128;

const clamp8 = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : v);

/** A table of rounded Gaussian values, drawn once per take and stream kind. */
function gaussianTable(seed: number, kind: number, sigma: number, holeFraction = 0): Int8Array {
  const rng = rngFor(seed, STREAM.denseNoise, kind);
  const table = new Int8Array(TABLE_LENGTH);
  for (let i = 0; i < table.length; i++) {
    if (holeFraction > 0 && rng() < holeFraction) table[i] = HOLE;
    else table[i] = Math.max(-127, Math.min(127, Math.round(sigma * gauss(rng))));
  }
  return table;
}

/**
 * Dense sensor noise for one take: each frame adds a window of a pre-drawn table at an offset drawn
 * from (seed, stream, frame), so a frame costs one add per byte rather than one random draw. A
 * stream never takes the same offset twice in a row: two consecutive frames of a still scene always
 * differ, as a real sensor's do (only a stalled pipeline repeats a frame bitwise).
 */
export class RealisticNoise {
  private readonly colour: Int8Array;
  private readonly gel: Int8Array;
  private readonly depthTable: Int8Array;
  private readonly lastOffset = new Map<number, number>();

  constructor(private readonly seed: number) {
    this.colour = gaussianTable(seed, 0, COLOUR_SIGMA);
    this.depthTable = gaussianTable(seed, 1, DEPTH_SIGMA_MM, DEPTH_HOLE_FRACTION);
    this.gel = gaussianTable(seed, 2, GEL_SIGMA);
  }

  /** Jitters a colour frame in place; `stream` tells the streams apart, `frame` is its frame number. */
  colourFrame(stream: number, frame: number, pixels: Uint8Array): void {
    this.jitter(this.colour, stream, frame, pixels);
  }

  /** Jitters a GelSight frame in place. */
  gelFrame(stream: number, frame: number, pixels: Uint8Array): void {
    this.jitter(this.gel, stream, frame, pixels);
  }

  private jitter(table: Int8Array, stream: number, frame: number, pixels: Uint8Array): void {
    const at = this.offset(stream, frame, pixels.length);
    for (let i = 0; i < pixels.length; i++)
      pixels[i] = clamp8((pixels[i] as number) + (table[at + i] as number));
  }

  /** Adds depth noise and speckle holes (0 mm) to a depth frame in place. */
  depthFrame(stream: number, frame: number, depth: Uint16Array): void {
    const table = this.depthTable;
    const at = this.offset(stream, frame, depth.length);
    for (let i = 0; i < depth.length; i++) {
      const n = table[at + i] as number;
      depth[i] = n === HOLE ? 0 : Math.max(0, (depth[i] as number) + n);
    }
  }

  private offset(stream: number, frame: number, length: number): number {
    const span = TABLE_LENGTH - length;
    let at = Math.floor(mulberry32(mix(this.seed, STREAM.denseNoise, stream, frame))() * span);
    if (this.lastOffset.get(stream) === at) at = (at + 1) % span;
    this.lastOffset.set(stream, at);
    return at;
  }
}

/**
 * A GelSight's fixed texture, added to its untouched image (H×W×3): smooth shading of ±5 levels
 * (three cosine waves of 60–200 px) and a grid of dark markers (radius ~0.6 % of the width, every
 * ~6 %), drawn from (seed, side). Fixed, so it cancels against the gel's own reference.
 */
export function addGelTexture(
  seed: number,
  side: number,
  height: number,
  width: number,
  image: Uint8Array,
): void {
  const rng = rngFor(seed, STREAM.gelTexture, side);
  const waves = Array.from({ length: 3 }, () => {
    const wavelength = 60 + 140 * rng();
    const angle = Math.PI * rng();
    return {
      kx: (2 * Math.PI * Math.cos(angle)) / wavelength,
      ky: (2 * Math.PI * Math.sin(angle)) / wavelength,
      phase: 2 * Math.PI * rng(),
    };
  });
  const pitch = Math.max(6, Math.round(0.06 * width));
  const radius = Math.max(1, 0.006 * width);
  const ox = pitch * rng();
  const oy = pitch * rng();
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let shade = 0;
      for (const w of waves) shade += (5 / 3) * Math.cos(w.kx * x + w.ky * y + w.phase);
      const dx = ((x - ox) % pitch) - pitch / 2;
      const dy = ((y - oy) % pitch) - pitch / 2;
      const marker = dx * dx + dy * dy <= radius * radius ? -40 : 0;
      const delta = Math.round(shade) + marker;
      const p = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) image[p + c] = clamp8((image[p + c] as number) + delta);
    }
  }
}
