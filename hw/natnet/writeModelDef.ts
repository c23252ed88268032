import type { NatNetFeatures } from "./features.js";
import { DescriptionType } from "./params.js";
import type { AssetDescription, DataDescription, ModelDef, RigidBodyDescription } from "./types.js";
import type { Writer } from "./Writer.js";

/**
 * Writes a model-definitions payload in the layout `parseModelDef` reads. Unknown descriptions are
 * written back from their payload where the version sends sizes; elsewhere they, and force plates or
 * devices before 3.0, cannot be written and throw.
 */
export function writeModelDef(writer: Writer, features: NatNetFeatures, modelDef: ModelDef): void {
  writer.int32(modelDef.descriptions.length);
  for (const description of modelDef.descriptions) {
    const typeId = description.kind === "unknown" ? description.typeId : DescriptionType[description.kind];
    writer.int32(typeId);
    const sizeAt = features.descriptionSizes ? writer.reserveInt32() : -1;
    writeBody(writer, features, description);
    if (sizeAt >= 0) writer.patchInt32(sizeAt, writer.length - sizeAt - 4);
  }
}

function writeBody(writer: Writer, features: NatNetFeatures, description: DataDescription): void {
  switch (description.kind) {
    case "markerSet":
      writer.cstring(description.name).int32(description.markerNames.length);
      for (const name of description.markerNames) writer.cstring(name);
      return;
    case "rigidBody":
      return writeRigidBodyDescription(writer, features, description);
    case "skeleton":
      writer.cstring(description.name).int32(description.id).int32(description.bones.length);
      for (const bone of description.bones) writeRigidBodyDescription(writer, features, bone);
      return;
    case "forcePlate":
      requireAnalog(features, "force-plate");
      writer.int32(description.id).cstring(description.serialNumber);
      writer.float32(description.width).float32(description.length).vec3(description.origin);
      for (let row = 0; row < 12; row++) {
        for (let column = 0; column < 12; column++)
          writer.float32(description.calibrationMatrix[row]?.[column] ?? 0);
      }
      for (let corner = 0; corner < 4; corner++) writer.vec3(description.corners[corner] ?? [0, 0, 0]);
      writer.int32(description.plateType).int32(description.channelDataType);
      writeNames(writer, description.channelNames);
      return;
    case "device":
      requireAnalog(features, "device");
      writer.int32(description.id).cstring(description.name).cstring(description.serialNumber);
      writer.int32(description.deviceType).int32(description.channelDataType);
      writeNames(writer, description.channelNames);
      return;
    case "camera":
      writer.cstring(description.name).vec3(description.position).quat(description.orientation);
      return;
    case "asset":
      return writeAssetDescription(writer, features, description);
    case "unknown":
      if (!features.descriptionSizes) {
        throw new RangeError(`description type ${description.typeId} cannot be sent before NatNet 4.1`);
      }
      writer.bytes(description.payload);
      return;
  }
}

function writeRigidBodyDescription(
  writer: Writer,
  features: NatNetFeatures,
  body: RigidBodyDescription,
): void {
  if (features.rigidBodyName) writer.cstring(body.name ?? "");
  writer.int32(body.id).int32(body.parentId).vec3(body.offset);
  if (features.rigidBodyRotationOffset) writer.quat(body.rotationOffset ?? [0, 0, 0, 1]);
  if (!features.rigidBodyMarkerOffsets) return;
  const markers = body.markers ?? [];
  writer.int32(markers.length);
  for (const marker of markers) writer.vec3(marker.offset);
  for (const marker of markers) writer.int32(marker.activeLabel);
  if (features.rigidBodyMarkerNames) for (const marker of markers) writer.cstring(marker.name ?? "");
}

function writeAssetDescription(writer: Writer, features: NatNetFeatures, asset: AssetDescription): void {
  writer.cstring(asset.name).int32(asset.assetType).int32(asset.id).int32(asset.rigidBodies.length);
  for (const body of asset.rigidBodies) writeRigidBodyDescription(writer, features, body);
  writer.int32(asset.markers.length);
  for (const marker of asset.markers) {
    writer
      .cstring(marker.name)
      .int32(marker.id)
      .vec3(marker.position)
      .float32(marker.size)
      .uint16(marker.params);
  }
}

function writeNames(writer: Writer, names: readonly string[]): void {
  writer.int32(names.length);
  for (const name of names) writer.cstring(name);
}

function requireAnalog(features: NatNetFeatures, what: string): void {
  if (!features.analogDescriptions)
    throw new RangeError(`${what} descriptions have no known layout before NatNet 3.0`);
}
