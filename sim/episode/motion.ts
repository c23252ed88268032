import type { Body, Side } from "./layout.js";
import { rngFor, STREAM, uniform } from "./prng.js";
import { quatFromRotvec, quatMul } from "./quat.js";

/** A stretch of wall time [t0, t1] during which the listed bodies do not move (the operator rests). */
export interface Rest {
  readonly bodies: ReadonlySet<Body>;
  readonly t0: number;
  readonly t1: number;
}

interface Wave {
  readonly amp: number;
  readonly hz: number;
  readonly phase: number;
}

interface BodyModel {
  readonly base: readonly [number, number, number];
  readonly baseQuat: readonly number[];
  /** Per axis: position waves (m), then rotation-vector waves (rad). Empty for a static body. */
  readonly pos: readonly (readonly Wave[])[];
  readonly rot: readonly (readonly Wave[])[];
}

/** Rest positions, near the fixture's: the board in the middle, the two hand-held sensors either side. */
const BASE: Record<Body, [number, number, number]> = {
  motherboard: [0.25, 0.05, 0.2],
  sensor_left: [0.15, 0.02, 0.21],
  sensor_right: [0.38, 0.03, 0.3],
};

const waveSum = (waves: readonly Wave[], tau: number) =>
  waves.reduce((acc, w) => acc + w.amp * Math.sin(2 * Math.PI * w.hz * tau + w.phase), 0);

/**
 * True (noise-free) body poses. Active sensor bodies move smoothly (two sinusoids per axis, ≤ ~0.2 m/s
 * at speed 1,
 * rotations of a few tenths of a radian, so qw stays positive and there is never a natural sign flip);
 * the motherboard and the body of an inactive side stay put. Each body runs on its own motion time,
 * which stops during its rests, so a rest freezes the body and it resumes from where it stopped.
 */
export class Motion {
  private readonly models: Record<Body, BodyModel>;

  constructor(
    seed: number,
    activeSides: readonly Side[],
    private readonly epochS: number,
    private readonly rests: readonly Rest[],
    /** Time scale of the sensor bodies' waves: 2 = the same paths twice as fast. */
    private readonly speed = 1,
  ) {
    const model = (body: Body, index: number, moving: boolean): BodyModel => {
      const rng = rngFor(seed, STREAM.motion, index);
      const base = BASE[body];
      const baseRot = moving
        ? quatFromRotvec(uniform(rng, -0.5, 0.5), uniform(rng, -0.5, 0.5), uniform(rng, -0.5, 0.5))
        : quatFromRotvec(0, 0, 0.3);
      if (!moving) return { base, baseQuat: baseRot, pos: [], rot: [] };
      const waves = (lo: number, hi: number, fLo: number, fHi: number): Wave[] => [
        { amp: uniform(rng, lo, hi), hz: uniform(rng, fLo, fHi), phase: uniform(rng, 0, 2 * Math.PI) },
        {
          amp: uniform(rng, lo / 3, hi / 3),
          hz: uniform(rng, 2 * fLo, 2 * fHi),
          phase: uniform(rng, 0, 2 * Math.PI),
        },
      ];
      return {
        base,
        baseQuat: baseRot,
        pos: [0, 1, 2].map(() => waves(0.03, 0.05, 0.15, 0.3)),
        rot: [0, 1, 2].map(() => waves(0.12, 0.25, 0.1, 0.25)),
      };
    };
    this.models = {
      motherboard: model("motherboard", 0, false),
      sensor_left: model("sensor_left", 1, activeSides.includes("left")),
      sensor_right: model("sensor_right", 2, activeSides.includes("right")),
    };
  }

  /** Seconds the body has been moving since the epoch, at wall time t. */
  tau(body: Body, t: number): number {
    let paused = 0;
    for (const r of this.rests) {
      if (r.bodies.has(body)) paused += Math.min(Math.max(t - r.t0, 0), r.t1 - r.t0);
    }
    return t - this.epochS - paused;
  }

  /** True pose [x, y, z, qx, qy, qz, qw] of the body at wall time t, written into out[offset..offset+7). */
  pose(body: Body, t: number, out: Float64Array, offset = 0): void {
    const m = this.models[body];
    const tau = this.tau(body, t) * this.speed;
    const q =
      m.rot.length === 0
        ? m.baseQuat
        : quatMul(
            m.baseQuat,
            quatFromRotvec(
              waveSum(m.rot[0] ?? [], tau),
              waveSum(m.rot[1] ?? [], tau),
              waveSum(m.rot[2] ?? [], tau),
            ),
          );
    for (let i = 0; i < 3; i++) out[offset + i] = (m.base[i] as number) + waveSum(m.pos[i] ?? [], tau);
    for (let i = 0; i < 4; i++) out[offset + 3 + i] = q[i] as number;
  }
}
