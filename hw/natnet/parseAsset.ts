import type { NatNetFeatures } from "./features.js";
import type { Reader } from "./Reader.js";
import { readList } from "./readSection.js";
import type { AssetData, AssetMarkerData, AssetRigidBodyData } from "./types.js";

const ASSET_RIGID_BODY_BYTES = 4 + 12 + 16 + 4 + 2;
const ASSET_MARKER_BYTES = 4 + 12 + 4 + 2 + 4;
/** id, rigid-body count, marker count. */
export const MIN_ASSET_BYTES = 12;

/** A trained-markerset asset in a frame (NatNet ≥ 4.1; PacketClient 4.3 `UnpackAssetData`). */
export function parseAsset(reader: Reader, features: NatNetFeatures): AssetData {
  const id = reader.int32("id");
  const rigidBodies = readList(reader, features, "rigidBodies", ASSET_RIGID_BODY_BYTES, parseAssetRigidBody);
  const markers = readList(reader, features, "markers", ASSET_MARKER_BYTES, parseAssetMarker);
  return { id, rigidBodies, markers };
}

function parseAssetRigidBody(reader: Reader): AssetRigidBodyData {
  return {
    id: reader.int32("id"),
    position: reader.vec3("position"),
    orientation: reader.quat("orientation"),
    meanError: reader.float32("meanError"),
    params: reader.uint16("params"),
  };
}

function parseAssetMarker(reader: Reader): AssetMarkerData {
  return {
    id: reader.int32("id"),
    position: reader.vec3("position"),
    size: reader.float32("size"),
    params: reader.uint16("params"),
    residual: reader.float32("residual"),
  };
}
