import type { Quaternion, Vec3 } from "./quaternion.js";

/** Row i of an N×7 pose array (x, y, z, qx, qy, qz, qw), as the H5 file stores OT poses. */
export function rowPosition(pose: Float64Array, i: number): Vec3 {
  const o = i * 7;
  return [pose[o] as number, pose[o + 1] as number, pose[o + 2] as number];
}

export function rowQuaternion(pose: Float64Array, i: number): Quaternion {
  const o = i * 7 + 3;
  return [pose[o] as number, pose[o + 1] as number, pose[o + 2] as number, pose[o + 3] as number];
}
