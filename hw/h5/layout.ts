import type { CameraStream, Side, StreamName } from "../../detectors/samples.js";

/** Dataset paths of the recorder's episode layout (spec §1). */
export const TIMESTAMPS = "timestamps";
export const METADATA = "metadata";
export const OT_BODIES = ["motherboard", "sensor_left", "sensor_right"] as const;

export const colorPath = (cam: CameraStream) => `realsense/${cam}/color`;
export const depthPath = (cam: CameraStream) => `realsense/${cam}/depth`;
export const gelPath = (side: Side) => `gelsight/${side}/frames`;
export const otTimestampsPath = (body: string) => `optitrack/${body}/timestamps`;
export const otPosePath = (body: string) => `optitrack/${body}/pose`;

export function imagePath(stream: StreamName): string {
  return stream.startsWith("gel_") ? gelPath(stream.slice(4) as Side) : colorPath(stream as CameraStream);
}

/** The five image datasets that must agree on T for the file to be whole. */
export const IMAGE_STREAMS: readonly StreamName[] = ["cam0", "cam1", "cam2", "gel_left", "gel_right"];
