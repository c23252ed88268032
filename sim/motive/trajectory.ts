import type { Quat, Vec3 } from "../../hw/natnet/index.js";
import { mulberry32 } from "../episode/prng.js";

/** One of the rig's rigid bodies as the simulator streams it. */
export interface SimBody {
  readonly id: number;
  readonly name: string;
  /** Centre of the body's motion, metres. */
  readonly origin: Vec3;
}

/** The rig's three rigid bodies with their Motive streaming ids. */
export const RIG_BODIES: readonly SimBody[] = [
  { id: 1, name: "motherboard", origin: [0, 1, 0] },
  { id: 2, name: "sensor_left", origin: [-0.15, 1.05, 0.1] },
  { id: 3, name: "sensor_right", origin: [0.15, 1.05, 0.1] },
];

export interface Pose {
  readonly position: Vec3;
  readonly orientation: Quat;
}

/** Seeded [0, 1) generator: the episode generator's mulberry32, so every simulation repeats per seed. */
export const prng = mulberry32;

interface Harmonic {
  readonly amp: number;
  readonly freqHz: number;
  readonly phase: number;
}

/** A smooth deterministic trajectory: sums of slow sinusoids (≤ 0.5 Hz, ≤ 5 cm, ≤ 0.3 rad) per axis. */
export class Trajectory {
  private readonly pos: Harmonic[][];
  private readonly rot: Harmonic[][];

  constructor(
    readonly body: SimBody,
    seed: number,
  ) {
    const rand = prng((seed ^ Math.imul(body.id, 0x9e3779b1)) >>> 0);
    const harmonics = (amp: number): Harmonic[] =>
      [0, 1].map(() => ({
        amp: amp * (0.3 + 0.7 * rand()),
        freqHz: 0.05 + 0.45 * rand(),
        phase: 2 * Math.PI * rand(),
      }));
    this.pos = [harmonics(0.05), harmonics(0.05), harmonics(0.05)];
    this.rot = [harmonics(0.3), harmonics(0.3), harmonics(0.3)];
  }

  poseAt(tS: number): Pose {
    const sum = (hs: Harmonic[]): number =>
      hs.reduce((acc, h) => acc + h.amp * Math.sin(2 * Math.PI * h.freqHz * tS + h.phase), 0);
    const o = this.body.origin;
    const position: Vec3 = [o[0] + sum(this.pos[0]!), o[1] + sum(this.pos[1]!), o[2] + sum(this.pos[2]!)];
    return { position, orientation: eulerToQuat(sum(this.rot[0]!), sum(this.rot[1]!), sum(this.rot[2]!)) };
  }
}

/** Intrinsic x-y-z angles (radians) to a unit quaternion [x, y, z, w]. */
export function eulerToQuat(rx: number, ry: number, rz: number): Quat {
  const qx: Quat = [Math.sin(rx / 2), 0, 0, Math.cos(rx / 2)];
  const qy: Quat = [0, Math.sin(ry / 2), 0, Math.cos(ry / 2)];
  const qz: Quat = [0, 0, Math.sin(rz / 2), Math.cos(rz / 2)];
  return quatMultiply(quatMultiply(qx, qy), qz);
}

/** Hamilton product a ⊗ b, [x, y, z, w]. */
export function quatMultiply(a: Quat, b: Quat): Quat {
  const [ax, ay, az, aw] = a;
  const [bx, by, bz, bw] = b;
  return [
    aw * bx + ax * bw + ay * bz - az * by,
    aw * by - ax * bz + ay * bw + az * bx,
    aw * bz + ax * by - ay * bx + az * bw,
    aw * bw - ax * bx - ay * by - az * bz,
  ];
}

/** 180° about the body's own z axis: what the rotation-flip fault applies (q ⊗ [0, 0, 1, 0]). */
export function flip180(q: Quat): Quat {
  return quatMultiply(q, [0, 0, 1, 0]);
}
