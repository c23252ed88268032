import { rotateVector } from "../../detectors/ot/index.js";
import type { CameraCalibration } from "./calibration.js";

const MM_PER_M = 1000;

/**
 * Where a gel centre appears on a camera's image (the rig viewer's recipe, calibration README): the
 * pose's position is metres, so ×1000; rotate the centre (rigid frame, mm) by the body quaternion and
 * add the position; apply T_mocap_to_cam; pinhole onto the camera's width × height image. Undefined
 * for an unusable pose (NaN, zero quaternion) or a point behind the camera (z ≤ 0).
 */
export function projectGelCentre(
  pose: ArrayLike<number>,
  gelCentreMm: readonly [number, number, number],
  camera: CameraCalibration,
): [number, number] | undefined {
  for (let i = 0; i < 7; i++) if (!Number.isFinite(pose[i] as number)) return undefined;
  const q = [pose[3], pose[4], pose[5], pose[6]] as [number, number, number, number];
  if (Math.hypot(...q) < 1e-9) return undefined;
  const r = rotateVector(q, gelCentreMm);
  const p = [
    r[0] + (pose[0] as number) * MM_PER_M,
    r[1] + (pose[1] as number) * MM_PER_M,
    r[2] + (pose[2] as number) * MM_PER_M,
  ];
  const m = camera.mocapToCam;
  const cam = [0, 1, 2].map(
    (row) =>
      (m[row * 4] as number) * (p[0] as number) +
      (m[row * 4 + 1] as number) * (p[1] as number) +
      (m[row * 4 + 2] as number) * (p[2] as number) +
      (m[row * 4 + 3] as number),
  ) as [number, number, number];
  if (!(cam[2] > 0)) return undefined;
  return [(camera.fx * cam[0]) / cam[2] + camera.ppx, (camera.fy * cam[1]) / cam[2] + camera.ppy];
}
