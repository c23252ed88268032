import type { NatNetFeatures } from "./features.js";
import { RigidBodyParams } from "./params.js";
import type { Reader } from "./Reader.js";
import { readList } from "./readSection.js";
import type { RigidBodyData, RigidBodyMarker, SkeletonData, Vec3 } from "./types.js";

/** id, position, orientation. */
const POSE_BYTES = 4 + 12 + 16;

/** Fewest bytes a rigid body can take in this version, for count checks. */
export function minRigidBodyBytes(features: NatNetFeatures): number {
  return (
    POSE_BYTES +
    (features.rigidBodyMarkers ? 4 : 0) +
    (features.meanMarkerError ? 4 : 0) +
    (features.params ? 2 : 0)
  );
}

/**
 * A rigid body in a frame, top level or skeleton bone (natnet.md §5.1). Before 3.0 its markers come as
 * three grouped arrays: all positions, then all ids, then all sizes. PacketClient 2.9 reads the same
 * arrays for skeleton bones; 4.3's reads none for bones of any version, which only matters for 2.x.
 */
export function parseRigidBody(reader: Reader, features: NatNetFeatures): RigidBodyData {
  const id = reader.int32("id");
  const position = reader.vec3("position");
  const orientation = reader.quat("orientation");
  const markers = features.rigidBodyMarkers ? parseRigidBodyMarkers(reader, features) : undefined;
  const meanError = features.meanMarkerError ? reader.float32("meanError") : undefined;
  const params = features.params ? reader.uint16("params") : undefined;
  return {
    id,
    position,
    orientation,
    markers,
    meanError,
    params,
    trackingValid: params === undefined ? undefined : (params & RigidBodyParams.TrackingValid) !== 0,
  };
}

function parseRigidBodyMarkers(reader: Reader, features: NatNetFeatures): RigidBodyMarker[] {
  const withIds = features.rigidBodyMarkerIdsAndSizes;
  reader.enter("markers");
  const count = reader.count("count", withIds ? 12 + 4 + 4 : 12);
  const positions: Vec3[] = [];
  for (let i = 0; i < count; i++) {
    reader.at(i);
    positions.push(reader.vec3("position"));
  }
  const ids: number[] = [];
  const sizes: number[] = [];
  if (withIds) {
    for (let i = 0; i < count; i++) {
      reader.at(i);
      ids.push(reader.int32("id"));
    }
    for (let i = 0; i < count; i++) {
      reader.at(i);
      sizes.push(reader.float32("size"));
    }
  }
  reader.leave();
  return positions.map((position, i) => ({ position, id: ids[i], size: sizes[i] }));
}

export function parseSkeleton(reader: Reader, features: NatNetFeatures): SkeletonData {
  const id = reader.int32("id");
  const bones = readList(reader, features, "bones", minRigidBodyBytes(features), parseRigidBody);
  return { id, bones };
}
