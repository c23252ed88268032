import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CAMERA_STREAMS, type CameraStream, type Side, TACTILE_SIDES } from "../../detectors/samples.js";
import { ReportFileError } from "../../sinks/reports/index.js";

/** The rig's calibration shipped with rigwatch (config/calibration, copied into dist by the build). */
export const BUILT_IN_CALIBRATION = fileURLToPath(new URL("../../config/calibration/", import.meta.url));

/** Spec §1: which RealSense serial each H5 camera stream is, when the file does not say. */
const SPEC_SERIALS: Readonly<Record<CameraStream, string>> = {
  cam0: "143322063538",
  cam1: "104122062574",
  cam2: "217222066989",
};

const VIEW_FILES = ["left", "middle", "right"] as const;

/** One RealSense: OptiTrack (mm) → camera (mm), then a pinhole onto its width × height image. */
export interface CameraCalibration {
  readonly serial: string;
  /** Row-major 4×4. */
  readonly mocapToCam: readonly number[];
  readonly fx: number;
  readonly fy: number;
  readonly ppx: number;
  readonly ppy: number;
  readonly width: number;
  readonly height: number;
}

export interface RigCalibration {
  readonly dir: string;
  readonly cameras: Readonly<Record<CameraStream, CameraCalibration>>;
  /** Gel-pad centre in each sensor body's rigid frame, mm. */
  readonly gelCentreMm: Readonly<Record<Side, readonly [number, number, number]>>;
}

/**
 * Loads the five calibration files of the rig (the upstream recorder's `T_mocap_to_cam_*.json` and
 * `T_gel_to_rigid_*.json`). Cameras are matched to H5 streams by serial: the episode's own
 * `realsense_serials` order when it has one, the spec's assignment otherwise. A missing file, a
 * malformed field or a camera no stream claims is a ReportFileError naming the file and the field.
 */
export function loadCalibration(dir: string, realsenseSerials: readonly string[] = []): RigCalibration {
  const streamOfSerial = new Map<string, CameraStream>();
  CAMERA_STREAMS.forEach((cam, i) => {
    streamOfSerial.set(
      realsenseSerials.length === 3 ? (realsenseSerials[i] as string) : SPEC_SERIALS[cam],
      cam,
    );
  });
  const cameras: Partial<Record<CameraStream, CameraCalibration>> = {};
  for (const view of VIEW_FILES) {
    const file = join(dir, `T_mocap_to_cam_${view}.json`);
    const json = readJson(file);
    const camera = cameraCalibration(file, json);
    const stream = streamOfSerial.get(camera.serial);
    if (stream === undefined)
      throw new ReportFileError(file, `camera_serial ${camera.serial} is none of the episode's cameras`);
    cameras[stream] = camera;
  }
  const missing = CAMERA_STREAMS.filter((cam) => cameras[cam] === undefined);
  if (missing.length > 0)
    throw new ReportFileError(
      dir,
      `no camera calibration for ${missing.join(", ")} (two files name one serial)`,
    );
  const gelCentreMm = Object.fromEntries(
    TACTILE_SIDES.map((side) => {
      const file = join(dir, `T_gel_to_rigid_${side}.json`);
      return [side, vector3(file, readJson(file), "gel_center_in_rigid_mm")];
    }),
  ) as Record<Side, [number, number, number]>;
  return { dir, cameras: cameras as Record<CameraStream, CameraCalibration>, gelCentreMm };
}

function readJson(file: string): Record<string, unknown> {
  if (!existsSync(file)) throw new ReportFileError(file, "calibration file not found");
  try {
    const value: unknown = JSON.parse(readFileSync(file, "utf8"));
    if (value === null || typeof value !== "object" || Array.isArray(value))
      throw new Error("expected a JSON object");
    return value as Record<string, unknown>;
  } catch (error) {
    throw new ReportFileError(file, `not a calibration file (${(error as Error).message})`);
  }
}

function cameraCalibration(file: string, json: Record<string, unknown>): CameraCalibration {
  const matrix = json.T_mocap_to_cam;
  const rows = Array.isArray(matrix) ? matrix : [];
  const flat = rows.flat();
  if (rows.length !== 4 || rows.some((r) => !Array.isArray(r) || r.length !== 4) || !allFinite(flat))
    throw new ReportFileError(file, "T_mocap_to_cam must be a 4×4 matrix of numbers");
  const intrinsics = (json.intrinsics ?? {}) as Record<string, unknown>;
  const number = (key: string) => {
    const v = intrinsics[key];
    if (typeof v !== "number" || !Number.isFinite(v) || (key !== "ppx" && key !== "ppy" && v <= 0))
      throw new ReportFileError(
        file,
        `intrinsics.${key} must be a positive number, found ${JSON.stringify(v)}`,
      );
    return v;
  };
  if (typeof json.camera_serial !== "string" || json.camera_serial === "")
    throw new ReportFileError(file, "camera_serial must name the RealSense");
  return {
    serial: json.camera_serial,
    mocapToCam: flat as number[],
    fx: number("fx"),
    fy: number("fy"),
    ppx: number("ppx"),
    ppy: number("ppy"),
    width: number("width"),
    height: number("height"),
  };
}

function vector3(file: string, json: Record<string, unknown>, key: string): [number, number, number] {
  const v = json[key];
  if (!Array.isArray(v) || v.length !== 3 || !allFinite(v))
    throw new ReportFileError(file, `${key} must be three numbers (mm)`);
  return v as [number, number, number];
}

function allFinite(values: readonly unknown[]): boolean {
  return values.every((x) => typeof x === "number" && Number.isFinite(x));
}
