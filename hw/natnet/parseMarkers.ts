import type { NatNetFeatures } from "./features.js";
import type { Reader } from "./Reader.js";
import { readList } from "./readSection.js";
import type { LabeledMarker, MarkerSetData, Vec3 } from "./types.js";

export function parseMarkerSet(reader: Reader, features: NatNetFeatures): MarkerSetData {
  const name = reader.cstring("name");
  return { name, markers: readList(reader, features, "markers", 12, parseMarkerPosition) };
}

export function parseMarkerPosition(reader: Reader): Vec3 {
  return reader.vec3("position");
}

/** Fewest bytes a labeled marker takes in this version: 20 (2.3–2.5), 24 (2.6–2.x), 26 (≥ 3.0). */
export function labeledMarkerBytes(features: NatNetFeatures): number {
  return 20 + (features.params ? 2 : 0) + (features.markerResidual ? 4 : 0);
}

/** natnet.md §5.2. The id is read unsigned so its high word, the model id, is never negative. */
export function parseLabeledMarker(reader: Reader, features: NatNetFeatures): LabeledMarker {
  const id = reader.uint32("id");
  const position = reader.vec3("position");
  const size = reader.float32("size");
  const params = features.params ? reader.uint16("params") : undefined;
  const residual = features.markerResidual ? reader.float32("residual") : undefined;
  return { id, modelId: id >>> 16, markerId: id & 0xffff, position, size, params, residual };
}
