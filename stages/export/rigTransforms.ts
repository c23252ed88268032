import { CAMERA_STREAMS, SENSOR_BODY, TACTILE_SIDES } from "../../detectors/samples.js";
import type { RigCalibration } from "../previews/calibration.js";
import { cameraFrame, gelFrame, MOCAP_FRAME } from "./exportTopics.js";
import { rotationQuaternion } from "./rotationQuaternion.js";

const MM_PER_M = 1000;

/** One foxglove.FrameTransform, before its timestamp: the child frame's pose in the parent frame (metres). */
export interface RigTransform {
  readonly parent_frame_id: string;
  readonly child_frame_id: string;
  readonly translation: { readonly x: number; readonly y: number; readonly z: number };
  readonly rotation: { readonly x: number; readonly y: number; readonly z: number; readonly w: number };
}

/**
 * The rig's calibration as frames: each camera placed in the mocap frame (the inverse of its
 * T_mocap_to_cam, mm → m), each gel placed on its sensor body (the gel-pad centre, no rotation), so
 * with the bodies' poses every camera and every gel sits in the mocap frame.
 */
export function rigTransforms(calibration: RigCalibration): RigTransform[] {
  const transforms: RigTransform[] = [];
  for (const cam of CAMERA_STREAMS) {
    const m = calibration.cameras[cam].mocapToCam;
    const r = (row: number, col: number) => m[row * 4 + col] as number;
    // Camera in mocap: rotation Rᵀ, origin −Rᵀ·t.
    const rt = [0, 1, 2].flatMap((row) => [0, 1, 2].map((col) => r(col, row)));
    const origin = [0, 1, 2].map(
      (row) =>
        -(
          (rt[row * 3] as number) * r(0, 3) +
          (rt[row * 3 + 1] as number) * r(1, 3) +
          (rt[row * 3 + 2] as number) * r(2, 3)
        ),
    ) as [number, number, number];
    const [x, y, z, w] = rotationQuaternion(rt);
    transforms.push({
      parent_frame_id: MOCAP_FRAME,
      child_frame_id: cameraFrame(cam),
      translation: { x: origin[0] / MM_PER_M, y: origin[1] / MM_PER_M, z: origin[2] / MM_PER_M },
      rotation: { x, y, z, w },
    });
  }
  for (const side of TACTILE_SIDES) {
    const [x, y, z] = calibration.gelCentreMm[side];
    transforms.push({
      parent_frame_id: SENSOR_BODY[side],
      child_frame_id: gelFrame(side),
      translation: { x: x / MM_PER_M, y: y / MM_PER_M, z: z / MM_PER_M },
      rotation: { x: 0, y: 0, z: 0, w: 1 },
    });
  }
  return transforms;
}
