import type { NatNetFeatures } from "./features.js";
import type { Reader } from "./Reader.js";
import { readList } from "./readSection.js";
import type { RigidBodyDescription, RigidBodyMarkerDescription, SkeletonDescription, Vec3 } from "./types.js";

/** id, parent id, position offset. */
const ID_PARENT_OFFSET_BYTES = 4 + 4 + 12;

/** Fewest bytes a rigid-body description takes in this version, for count checks. */
export function minRigidBodyDescriptionBytes(features: NatNetFeatures): number {
  return (
    (features.rigidBodyName ? 1 : 0) +
    ID_PARENT_OFFSET_BYTES +
    (features.rigidBodyRotationOffset ? 16 : 0) +
    (features.rigidBodyMarkerOffsets ? 4 : 0)
  );
}

/**
 * A rigid-body description (natnet.md §7): name, id, parent, offset; rotation offset from 4.2; from 3.0
 * the markers as grouped arrays (all offsets, all active labels, from 4.0 all names).
 */
export function parseRigidBodyDescription(reader: Reader, features: NatNetFeatures): RigidBodyDescription {
  const name = features.rigidBodyName ? reader.cstring("name") : undefined;
  const id = reader.int32("id");
  const parentId = reader.int32("parentId");
  const offset = reader.vec3("offset");
  const rotationOffset = features.rigidBodyRotationOffset ? reader.quat("rotationOffset") : undefined;
  const markers = features.rigidBodyMarkerOffsets ? parseMarkerDescriptions(reader, features) : undefined;
  return { kind: "rigidBody", name, id, parentId, offset, rotationOffset, markers };
}

function parseMarkerDescriptions(reader: Reader, features: NatNetFeatures): RigidBodyMarkerDescription[] {
  const named = features.rigidBodyMarkerNames;
  reader.enter("markers");
  const count = reader.count("count", 12 + 4 + (named ? 1 : 0));
  const offsets: Vec3[] = [];
  for (let i = 0; i < count; i++) {
    reader.at(i);
    offsets.push(reader.vec3("offset"));
  }
  const labels: number[] = [];
  for (let i = 0; i < count; i++) {
    reader.at(i);
    labels.push(reader.int32("activeLabel"));
  }
  const names: string[] = [];
  if (named) {
    for (let i = 0; i < count; i++) {
      reader.at(i);
      names.push(reader.cstring("name"));
    }
  }
  reader.leave();
  return offsets.map((offset, i) => ({ offset, activeLabel: labels[i]!, name: names[i] }));
}

/**
 * Bones are read as full rigid-body descriptions, as PacketClient 4.3 and the 4.3 Python client do.
 * PacketClient 3.1 reads 3.x bones without the marker block; no capture settles it (natnet.md §7).
 */
export function parseSkeletonDescription(reader: Reader, features: NatNetFeatures): SkeletonDescription {
  const name = reader.cstring("name");
  const id = reader.int32("id");
  const bones = readList(
    reader,
    features,
    "bones",
    minRigidBodyDescriptionBytes(features),
    parseRigidBodyDescription,
  );
  return { kind: "skeleton", name, id, bones };
}
