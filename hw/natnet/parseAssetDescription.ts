import type { NatNetFeatures } from "./features.js";
import { minRigidBodyDescriptionBytes, parseRigidBodyDescription } from "./parseRigidBodyDescription.js";
import type { Reader } from "./Reader.js";
import { readList } from "./readSection.js";
import type { AssetDescription, AssetMarkerDescription } from "./types.js";

/** Asset (trained markerset) description (NatNet ≥ 4.1; PacketClient 4.3 `UnpackAssetDescription`). */
export function parseAssetDescription(reader: Reader, features: NatNetFeatures): AssetDescription {
  const name = reader.cstring("name");
  const assetType = reader.int32("assetType");
  const id = reader.int32("id");
  const rigidBodies = readList(
    reader,
    features,
    "rigidBodies",
    minRigidBodyDescriptionBytes(features),
    parseRigidBodyDescription,
  );
  const markers = readList(reader, features, "markers", 1 + 4 + 12 + 4 + 2, parseAssetMarkerDescription);
  return { kind: "asset", name, assetType, id, rigidBodies, markers };
}

function parseAssetMarkerDescription(reader: Reader): AssetMarkerDescription {
  return {
    name: reader.cstring("name"),
    id: reader.int32("id"),
    position: reader.vec3("position"),
    size: reader.float32("size"),
    params: reader.uint16("params"),
  };
}
