import type { NatNetFeatures } from "./features.js";
import { parseDeviceDescription, parseForcePlateDescription } from "./parseAnalogDescription.js";
import { parseAssetDescription } from "./parseAssetDescription.js";
import { DescriptionType } from "./params.js";
import { parseRigidBodyDescription, parseSkeletonDescription } from "./parseRigidBodyDescription.js";
import type { Reader } from "./Reader.js";
import { readList } from "./readSection.js";
import type { CameraDescription, DataDescription, MarkerSetDescription, ModelDef } from "./types.js";

/**
 * NAT_MODELDEF (natnet.md §7): a count, then per description an int32 type, from 4.1 an int32 byte size
 * of that one description, and the body. Strict: each sized description and the whole payload must be
 * consumed exactly. Unknown types can be skipped only where sizes are sent; before 4.1 they fail.
 */
export function parseModelDef(reader: Reader, features: NatNetFeatures): ModelDef {
  reader.enter("descriptions");
  const count = reader.count("count", features.descriptionSizes ? 8 : 9);
  const descriptions: DataDescription[] = [];
  for (let i = 0; i < count; i++) {
    reader.at(i);
    descriptions.push(parseDescription(reader, features));
  }
  reader.at(-1);
  reader.expectAt(reader.limit, "count", "the model definitions (their payload size)");
  reader.leave();
  return { type: "modelDef", descriptions };
}

function parseDescription(reader: Reader, features: NatNetFeatures): DataDescription {
  const typeAt = reader.offset;
  const typeId = reader.int32("type");
  if (!features.descriptionSizes) return parseBody(reader, features, typeId, typeAt);
  const end = reader.byteSize("byteSize");
  const outerLimit = reader.narrowLimit(end);
  const description = KNOWN_TYPES.has(typeId)
    ? parseBody(reader, features, typeId, typeAt)
    : ({ kind: "unknown", typeId, payload: reader.bytesCopy("payload", end - reader.offset) } as const);
  reader.expectAt(end, "byteSize", "the description");
  reader.restoreLimit(outerLimit);
  return description;
}

const KNOWN_TYPES: ReadonlySet<number> = new Set(Object.values(DescriptionType));

function parseBody(
  reader: Reader,
  features: NatNetFeatures,
  typeId: number,
  typeAt: number,
): DataDescription {
  switch (typeId) {
    case DescriptionType.markerSet:
      return parseMarkerSetDescription(reader, features);
    case DescriptionType.rigidBody:
      return parseRigidBodyDescription(reader, features);
    case DescriptionType.skeleton:
      return parseSkeletonDescription(reader, features);
    case DescriptionType.forcePlate:
      if (!features.analogDescriptions) return unknownLayout(reader, "force-plate", typeAt);
      return parseForcePlateDescription(reader, features);
    case DescriptionType.device:
      if (!features.analogDescriptions) return unknownLayout(reader, "device", typeAt);
      return parseDeviceDescription(reader, features);
    case DescriptionType.camera:
      return parseCameraDescription(reader);
    case DescriptionType.asset:
      return parseAssetDescription(reader, features);
    default:
      return reader.fail("type", `a description type 0–6, found ${typeId}`, typeAt);
  }
}

/** The 2.9–2.11 force-plate and device description layouts are in none of the sources (natnet.md §7). */
function unknownLayout(reader: Reader, what: string, typeAt: number): never {
  return reader.fail(
    "type",
    `a ${what} description layout known for this version (documented from 3.0)`,
    typeAt,
  );
}

function parseMarkerSetDescription(reader: Reader, features: NatNetFeatures): MarkerSetDescription {
  const name = reader.cstring("name");
  const markerNames = readList(reader, features, "markerNames", 1, (r) => r.cstring("name"));
  return { kind: "markerSet", name, markerNames };
}

function parseCameraDescription(reader: Reader): CameraDescription {
  return {
    kind: "camera",
    name: reader.cstring("name"),
    position: reader.vec3("position"),
    orientation: reader.quat("orientation"),
  };
}
