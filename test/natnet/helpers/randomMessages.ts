import {
  type DataDescription,
  type FrameOfData,
  featuresOf,
  labeledMarkerId,
  type ModelDef,
  type NatNetFeatures,
  type NatNetVersionLike,
  type Quat,
  type RigidBodyData,
  type RigidBodyDescription,
  type Vec3,
} from "../../../hw/natnet/index.js";
import { below } from "./prng.js";

/**
 * Random frames and model definitions shaped as `decodePacket` returns them for a version: fields the
 * version lacks are undefined, floats are float32 values, derived fields agree with the raw ones. So
 * `decode(encode(x))` must equal `x` exactly.
 */
type Random = () => number;

const f32 = (random: Random, scale = 2) => Math.fround((random() - 0.5) * 2 * scale);
const vec3 = (random: Random): Vec3 => [f32(random), f32(random), f32(random)];
const quat = (random: Random): Quat => [f32(random, 1), f32(random, 1), f32(random, 1), f32(random, 1)];
const int = (random: Random, n: number) => below(random, n);
const list = <T>(random: Random, max: number, make: (i: number) => T): T[] =>
  Array.from({ length: int(random, max + 1) }, (_, i) => make(i));
const name = (random: Random) => `n${int(random, 1000)}${random() < 0.2 ? "_é" : ""}`;

function rigidBody(random: Random, features: NatNetFeatures): RigidBodyData {
  const params = features.params ? int(random, 4) : undefined;
  return {
    id: int(random, 1 << 20),
    position: vec3(random),
    orientation: quat(random),
    markers: features.rigidBodyMarkers
      ? list(random, 3, () => ({
          position: vec3(random),
          id: features.rigidBodyMarkerIdsAndSizes ? int(random, 100) : undefined,
          size: features.rigidBodyMarkerIdsAndSizes ? Math.fround(random() / 10) : undefined,
        }))
      : undefined,
    meanError: features.meanMarkerError ? Math.fround(random() / 100) : undefined,
    params,
    trackingValid: params === undefined ? undefined : (params & 1) !== 0,
  };
}

export function randomFrame(random: Random, version: NatNetVersionLike): FrameOfData {
  const features = featuresOf(version);
  const camera = features.cameraTimestamps;
  const precise = features.precisionTimestamp;
  return {
    type: "frameOfData",
    frameNumber: int(random, 2 ** 31),
    markerSets: list(random, 3, () => ({ name: name(random), markers: list(random, 4, () => vec3(random)) })),
    otherMarkers: list(random, 3, () => vec3(random)),
    rigidBodies: list(random, 4, () => rigidBody(random, features)),
    skeletons: features.skeletons
      ? list(random, 2, () => ({
          id: int(random, 100),
          bones: list(random, 3, () => rigidBody(random, features)),
        }))
      : [],
    assets: features.assets
      ? list(random, 2, () => ({
          id: int(random, 100),
          rigidBodies: list(random, 2, () => ({
            id: int(random, 100),
            position: vec3(random),
            orientation: quat(random),
            meanError: Math.fround(random()),
            params: int(random, 65536),
          })),
          markers: list(random, 3, () => ({
            id: int(random, 1000),
            position: vec3(random),
            size: Math.fround(random()),
            params: int(random, 256),
            residual: Math.fround(random()),
          })),
        }))
      : [],
    labeledMarkers: features.labeledMarkers
      ? list(random, 6, () => {
          const modelId = int(random, 65536);
          const markerId = int(random, 65536);
          return {
            id: labeledMarkerId(modelId, markerId),
            modelId,
            markerId,
            position: vec3(random),
            size: Math.fround(random() / 10),
            params: features.params ? int(random, 256) : undefined,
            residual: features.markerResidual ? Math.fround(random() / 1000) : undefined,
          };
        })
      : [],
    forcePlates: features.forcePlates
      ? list(random, 2, () => ({
          id: int(random, 10),
          channels: list(random, 3, () => list(random, 4, () => f32(random))),
        }))
      : [],
    devices: features.devices
      ? list(random, 2, () => ({
          id: int(random, 10),
          channels: list(random, 3, () => list(random, 4, () => f32(random))),
        }))
      : [],
    softwareLatency: features.softwareLatency ? Math.fround(random() * 1000) : undefined,
    timecode: int(random, 2 ** 32),
    timecodeSubframe: int(random, 2 ** 32),
    timestamp:
      features.timestamp === "float64"
        ? random() * 1e5
        : features.timestamp === "float32"
          ? Math.fround(random() * 1e4)
          : undefined,
    cameraMidExposureTimestamp: camera ? BigInt(int(random, 2 ** 48)) : undefined,
    cameraDataReceivedTimestamp: camera ? BigInt(int(random, 2 ** 48)) : undefined,
    transmitTimestamp: camera ? BigInt(int(random, 2 ** 48)) * 65536n + 1n : undefined,
    precisionTimestampSeconds: precise ? int(random, 2 ** 32) : undefined,
    precisionTimestampFractionalSeconds: precise ? int(random, 2 ** 32) : undefined,
    params: features.params ? int(random, 16) : undefined,
  };
}

function rigidBodyDescription(random: Random, features: NatNetFeatures): RigidBodyDescription {
  return {
    kind: "rigidBody",
    name: features.rigidBodyName ? name(random) : undefined,
    id: int(random, 1000),
    parentId: int(random, 5) - 1,
    offset: vec3(random),
    rotationOffset: features.rigidBodyRotationOffset ? quat(random) : undefined,
    markers: features.rigidBodyMarkerOffsets
      ? list(random, 4, () => ({
          offset: vec3(random),
          activeLabel: int(random, 3),
          name: features.rigidBodyMarkerNames ? name(random) : undefined,
        }))
      : undefined,
  };
}

export function randomModelDef(random: Random, version: NatNetVersionLike): ModelDef {
  const features = featuresOf(version);
  const kinds = ["markerSet", "rigidBody", "skeleton", "camera"];
  if (features.analogDescriptions) kinds.push("forcePlate", "device");
  if (features.assets) kinds.push("asset");
  if (features.descriptionSizes) kinds.push("unknown");
  const description = (): DataDescription => {
    switch (kinds[int(random, kinds.length)]) {
      case "markerSet":
        return { kind: "markerSet", name: name(random), markerNames: list(random, 4, () => name(random)) };
      case "rigidBody":
        return rigidBodyDescription(random, features);
      case "skeleton":
        return {
          kind: "skeleton",
          name: name(random),
          id: int(random, 10),
          bones: list(random, 3, () => rigidBodyDescription(random, features)),
        };
      case "camera":
        return { kind: "camera", name: name(random), position: vec3(random), orientation: quat(random) };
      case "forcePlate":
        return {
          kind: "forcePlate",
          id: int(random, 10),
          serialNumber: name(random),
          width: f32(random),
          length: f32(random),
          origin: vec3(random),
          calibrationMatrix: Array.from({ length: 12 }, () => Array.from({ length: 12 }, () => f32(random))),
          corners: Array.from({ length: 4 }, () => vec3(random)),
          plateType: int(random, 5),
          channelDataType: int(random, 3),
          channelNames: list(random, 6, () => name(random)),
        };
      case "device":
        return {
          kind: "device",
          id: int(random, 10),
          name: name(random),
          serialNumber: name(random),
          deviceType: int(random, 5),
          channelDataType: int(random, 3),
          channelNames: list(random, 4, () => name(random)),
        };
      case "asset":
        return {
          kind: "asset",
          name: name(random),
          assetType: 1,
          id: int(random, 100),
          rigidBodies: list(random, 2, () => rigidBodyDescription(random, features)),
          markers: list(random, 3, () => ({
            name: name(random),
            id: int(random, 100),
            position: vec3(random),
            size: Math.fround(random()),
            params: int(random, 65536),
          })),
        };
      default:
        return {
          kind: "unknown",
          typeId: 7 + int(random, 100),
          payload: Uint8Array.from(list(random, 12, () => int(random, 256))),
        };
    }
  };
  return { type: "modelDef", descriptions: list(random, 6, description) };
}
