/** Quaternions as [x, y, z, w] (the OT column order), Hamilton product. */
export type Quat = [number, number, number, number];

export function quatMul(a: readonly number[], b: readonly number[]): Quat {
  const [ax, ay, az, aw] = a as Quat;
  const [bx, by, bz, bw] = b as Quat;
  return [
    aw * bx + ax * bw + ay * bz - az * by,
    aw * by - ax * bz + ay * bw + az * bx,
    aw * bz + ax * by - ay * bx + az * bw,
    aw * bw - ax * bx - ay * by - az * bz,
  ];
}

/** Rotation by |v| radians about v (a rotation vector). */
export function quatFromRotvec(vx: number, vy: number, vz: number): Quat {
  const angle = Math.hypot(vx, vy, vz);
  if (angle < 1e-12) return [0, 0, 0, 1];
  const s = Math.sin(angle / 2) / angle;
  return [vx * s, vy * s, vz * s, Math.cos(angle / 2)];
}

export const AXIS = { x: [1, 0, 0], y: [0, 1, 0], z: [0, 0, 1] } as const;
export type Axis = keyof typeof AXIS;

export function quatFromAxisAngle(axis: Axis, radians: number): Quat {
  const [x, y, z] = AXIS[axis];
  return quatFromRotvec(x * radians, y * radians, z * radians);
}
