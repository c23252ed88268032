import type { NatNetFeatures } from "./features.js";
import { parseAnalog } from "./parseAnalog.js";
import { MIN_ASSET_BYTES, parseAsset } from "./parseAsset.js";
import {
  labeledMarkerBytes,
  parseLabeledMarker,
  parseMarkerPosition,
  parseMarkerSet,
} from "./parseMarkers.js";
import { minRigidBodyBytes, parseRigidBody, parseSkeleton } from "./parseRigidBody.js";
import type { Reader } from "./Reader.js";
import { readSection } from "./readSection.js";
import type { FrameOfData } from "./types.js";

/**
 * NAT_FRAMEOFDATA (natnet.md §5): sections in wire order, then the suffix. Strict: the end-of-data tag
 * must be 0 and the frame must end exactly at the payload's end, so a frame decoded with the wrong
 * version fails instead of yielding shifted values.
 */
export function parseFrame(reader: Reader, features: NatNetFeatures): FrameOfData {
  const frameNumber = reader.int32("frameNumber");
  const markerSets = readSection(reader, features, "markerSets", 5, parseMarkerSet);
  const otherMarkers = readSection(reader, features, "otherMarkers", 12, parseMarkerPosition);
  const rigidBodyBytes = minRigidBodyBytes(features);
  const rigidBodies = readSection(reader, features, "rigidBodies", rigidBodyBytes, parseRigidBody);
  const skeletons = features.skeletons ? readSection(reader, features, "skeletons", 8, parseSkeleton) : [];
  const assets = features.assets ? readSection(reader, features, "assets", MIN_ASSET_BYTES, parseAsset) : [];
  const labeledMarkers = features.labeledMarkers
    ? readSection(reader, features, "labeledMarkers", labeledMarkerBytes(features), parseLabeledMarker)
    : [];
  const forcePlates = features.forcePlates
    ? readSection(reader, features, "forcePlates", 8, parseAnalog)
    : [];
  const devices = features.devices ? readSection(reader, features, "devices", 8, parseAnalog) : [];

  const softwareLatency = features.softwareLatency ? reader.float32("softwareLatency") : undefined;
  const timecode = reader.uint32("timecode");
  const timecodeSubframe = reader.uint32("timecodeSubframe");
  const timestamp =
    features.timestamp === "float64"
      ? reader.float64("timestamp")
      : features.timestamp === "float32"
        ? reader.float32("timestamp")
        : undefined;
  const camera = features.cameraTimestamps;
  const cameraMidExposureTimestamp = camera ? reader.uint64("cameraMidExposureTimestamp") : undefined;
  const cameraDataReceivedTimestamp = camera ? reader.uint64("cameraDataReceivedTimestamp") : undefined;
  const transmitTimestamp = camera ? reader.uint64("transmitTimestamp") : undefined;
  const precise = features.precisionTimestamp;
  const precisionTimestampSeconds = precise ? reader.uint32("precisionTimestampSeconds") : undefined;
  const precisionTimestampFractionalSeconds = precise
    ? reader.uint32("precisionTimestampFractionalSeconds")
    : undefined;
  const params = features.params ? reader.uint16("params") : undefined;
  const endAt = reader.offset;
  const endOfData = reader.int32("endOfData");
  if (endOfData !== 0) reader.fail("endOfData", `end-of-data tag 0, found ${endOfData}`, endAt);
  reader.expectAt(reader.limit, "endOfData", "the frame (its payload size)");

  return {
    type: "frameOfData",
    frameNumber,
    markerSets,
    otherMarkers,
    rigidBodies,
    skeletons,
    assets,
    labeledMarkers,
    forcePlates,
    devices,
    softwareLatency,
    timecode,
    timecodeSubframe,
    timestamp,
    cameraMidExposureTimestamp,
    cameraDataReceivedTimestamp,
    transmitTimestamp,
    precisionTimestampSeconds,
    precisionTimestampFractionalSeconds,
    params,
  };
}
