import type { FrameOfData, RigidBodyData } from "./types.js";

export interface RigidBodyFrameFields {
  readonly frameNumber: number;
  readonly timestamp: number;
  readonly rigidBodies: readonly RigidBodyData[];
  /** Camera mid-exposure, data-received and transmit ticks (high-resolution clock). */
  readonly ticks?: readonly [bigint, bigint, bigint];
  /** NatNet ≥ 4.0 frames carry precision timestamps. */
  readonly precisionTimestamps?: boolean;
  readonly params?: number;
}

/** A frame of data with rigid bodies only, every other section empty: what simulators and tests send. */
export function rigidBodyFrame(fields: RigidBodyFrameFields): FrameOfData {
  const [midExposure, received, transmit] = fields.ticks ?? [1n, 2n, 3n];
  return {
    type: "frameOfData",
    frameNumber: fields.frameNumber,
    markerSets: [],
    otherMarkers: [],
    rigidBodies: fields.rigidBodies,
    skeletons: [],
    assets: [],
    labeledMarkers: [],
    forcePlates: [],
    devices: [],
    softwareLatency: undefined,
    timecode: 0,
    timecodeSubframe: 0,
    timestamp: fields.timestamp,
    cameraMidExposureTimestamp: midExposure,
    cameraDataReceivedTimestamp: received,
    transmitTimestamp: transmit,
    precisionTimestampSeconds: fields.precisionTimestamps ? 0 : undefined,
    precisionTimestampFractionalSeconds: fields.precisionTimestamps ? 0 : undefined,
    params: fields.params ?? 0,
  };
}
