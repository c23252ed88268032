export type Quaternion = readonly [number, number, number, number];
export type Vec3 = readonly [number, number, number];

/** The square root of the sum of squares: Math.hypot guards overflow no pose can reach, at ~3× the cost. */
export function quaternionNorm(q: Quaternion): number {
  return Math.sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
}

/**
 * Rotation angle between two orientations, double-cover safe: q and −q are the same rotation, so a
 * sign flip between samples measures 0, not 2π.
 */
export function rotationAngle(a: Quaternion, b: Quaternion): number {
  const dot =
    (a[0] * b[0] + a[1] * b[1] + a[2] * b[2] + a[3] * b[3]) / (quaternionNorm(a) * quaternionNorm(b));
  return 2 * Math.acos(Math.min(1, Math.abs(dot)));
}

export function distance(a: Vec3, b: Vec3): number {
  const [dx, dy, dz] = [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
  return Math.sqrt(dx * dx + dy * dy + dz * dz);
}

/** A pose is usable when every number is finite and the quaternion is not (near) zero. */
export function isUsablePose(position: Vec3, quaternion: Quaternion, minQuaternionNorm: number): boolean {
  for (const v of position) if (!Number.isFinite(v)) return false;
  for (const v of quaternion) if (!Number.isFinite(v)) return false;
  return quaternionNorm(quaternion) >= minQuaternionNorm;
}

/** Bitwise equality of two poses: what a mocap solver that stopped updating produces. */
export function samePose(aPos: Vec3, aQuat: Quaternion, bPos: Vec3, bQuat: Quaternion): boolean {
  return (
    Object.is(aPos[0], bPos[0]) &&
    Object.is(aPos[1], bPos[1]) &&
    Object.is(aPos[2], bPos[2]) &&
    Object.is(aQuat[0], bQuat[0]) &&
    Object.is(aQuat[1], bQuat[1]) &&
    Object.is(aQuat[2], bQuat[2]) &&
    Object.is(aQuat[3], bQuat[3])
  );
}

/** v rotated by q ([qx, qy, qz, qw], normalised here: OT quaternions are not always exactly unit). */
export function rotateVector(q: Quaternion, v: Vec3): [number, number, number] {
  const n = quaternionNorm(q);
  const [x, y, z, w] = [q[0] / n, q[1] / n, q[2] / n, q[3] / n];
  // v + 2u × (u × v + w v), u = (x, y, z)
  const cx = y * v[2] - z * v[1] + w * v[0];
  const cy = z * v[0] - x * v[2] + w * v[1];
  const cz = x * v[1] - y * v[0] + w * v[2];
  return [v[0] + 2 * (y * cz - z * cy), v[1] + 2 * (z * cx - x * cz), v[2] + 2 * (x * cy - y * cx)];
}
