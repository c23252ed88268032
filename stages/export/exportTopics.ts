import type { CameraStream, Side } from "../../detectors/samples.js";

/** Topics and frame ids of an exported take: the H5 dataset paths, so a person finds each stream by its name. */
export const exportTopics = {
  color: (cam: CameraStream) => `/realsense/${cam}/color`,
  depth: (cam: CameraStream) => `/realsense/${cam}/depth`,
  gel: (side: Side) => `/gelsight/${side}/frames`,
  pose: (body: string) => `/optitrack/${body}/pose`,
  /** The rig's frames: the calibration (cameras, gels) once a second and each body at every valid sample. */
  transforms: "/tf",
  /** detect's events (the published lists and every freeze candidate), from its reports. */
  events: "/detect/events",
  /** The take's alarms as the live detectors raise and clear them. */
  alarms: "/live/alarms",
} as const;

/** OptiTrack's world frame; every body, camera and (through its body) gel is placed in it. */
export const MOCAP_FRAME = "mocap";
/** A camera's optical frame (+x right, +y down, +z forward): its H5 stream name. */
export const cameraFrame = (cam: CameraStream): string => cam;
export const gelFrame = (side: Side): string => `gel_${side}`;
