import type { NatNetFeatures } from "./features.js";
import type {
  AnalogData,
  AssetData,
  FrameOfData,
  LabeledMarker,
  MarkerSetData,
  RigidBodyData,
  SkeletonData,
} from "./types.js";
import type { Writer } from "./Writer.js";

/**
 * Writes a frame payload in the layout `parseFrame` reads. Sections the version lacks are left out; a
 * field the version carries but the record leaves undefined is written as 0 (a rigid body's params
 * fall back to its `trackingValid`).
 */
export function writeFrame(writer: Writer, features: NatNetFeatures, frame: FrameOfData): void {
  writer.int32(frame.frameNumber);
  writeSection(writer, features, frame.markerSets, writeMarkerSet);
  writeSection(writer, features, frame.otherMarkers, (w, position) => w.vec3(position));
  writeSection(writer, features, frame.rigidBodies, writeRigidBody);
  if (features.skeletons) writeSection(writer, features, frame.skeletons, writeSkeleton);
  if (features.assets) writeSection(writer, features, frame.assets, writeAsset);
  if (features.labeledMarkers) writeSection(writer, features, frame.labeledMarkers, writeLabeledMarker);
  if (features.forcePlates) writeSection(writer, features, frame.forcePlates, writeAnalog);
  if (features.devices) writeSection(writer, features, frame.devices, writeAnalog);

  if (features.softwareLatency) writer.float32(frame.softwareLatency ?? 0);
  writer.uint32(frame.timecode).uint32(frame.timecodeSubframe);
  if (features.timestamp === "float64") writer.float64(frame.timestamp ?? 0);
  if (features.timestamp === "float32") writer.float32(frame.timestamp ?? 0);
  if (features.cameraTimestamps) {
    writer.uint64(frame.cameraMidExposureTimestamp ?? 0n);
    writer.uint64(frame.cameraDataReceivedTimestamp ?? 0n);
    writer.uint64(frame.transmitTimestamp ?? 0n);
  }
  if (features.precisionTimestamp) {
    writer.uint32(frame.precisionTimestampSeconds ?? 0);
    writer.uint32(frame.precisionTimestampFractionalSeconds ?? 0);
  }
  if (features.params) writer.uint16(frame.params ?? 0);
  writer.int32(0); // end-of-data tag
}

type ItemWriter<T> = (writer: Writer, item: T, features: NatNetFeatures) => void;

/** Count, from 4.1 the byte size of the elements (patched once they are written), the elements. */
function writeSection<T>(
  writer: Writer,
  features: NatNetFeatures,
  items: readonly T[],
  write: ItemWriter<T>,
) {
  writer.int32(items.length);
  const sizeAt = features.sectionSizes ? writer.reserveInt32() : -1;
  for (const item of items) write(writer, item, features);
  if (sizeAt >= 0) writer.patchInt32(sizeAt, writer.length - sizeAt - 4);
}

function writeMarkerSet(writer: Writer, set: MarkerSetData): void {
  writer.cstring(set.name).int32(set.markers.length);
  for (const position of set.markers) writer.vec3(position);
}

function writeRigidBody(writer: Writer, body: RigidBodyData, features: NatNetFeatures): void {
  writer.int32(body.id).vec3(body.position).quat(body.orientation);
  if (features.rigidBodyMarkers) {
    const markers = body.markers ?? [];
    writer.int32(markers.length);
    for (const marker of markers) writer.vec3(marker.position);
    if (features.rigidBodyMarkerIdsAndSizes) {
      for (const marker of markers) writer.int32(marker.id ?? 0);
      for (const marker of markers) writer.float32(marker.size ?? 0);
    }
  }
  if (features.meanMarkerError) writer.float32(body.meanError ?? 0);
  if (features.params) writer.uint16(body.params ?? (body.trackingValid === true ? 1 : 0));
}

function writeSkeleton(writer: Writer, skeleton: SkeletonData, features: NatNetFeatures): void {
  writer.int32(skeleton.id).int32(skeleton.bones.length);
  for (const bone of skeleton.bones) writeRigidBody(writer, bone, features);
}

function writeAsset(writer: Writer, asset: AssetData): void {
  writer.int32(asset.id).int32(asset.rigidBodies.length);
  for (const body of asset.rigidBodies) {
    writer
      .int32(body.id)
      .vec3(body.position)
      .quat(body.orientation)
      .float32(body.meanError)
      .uint16(body.params);
  }
  writer.int32(asset.markers.length);
  for (const marker of asset.markers) {
    writer.int32(marker.id).vec3(marker.position).float32(marker.size).uint16(marker.params);
    writer.float32(marker.residual);
  }
}

function writeLabeledMarker(writer: Writer, marker: LabeledMarker, features: NatNetFeatures): void {
  writer.uint32(marker.id).vec3(marker.position).float32(marker.size);
  if (features.params) writer.uint16(marker.params ?? 0);
  if (features.markerResidual) writer.float32(marker.residual ?? 0);
}

function writeAnalog(writer: Writer, data: AnalogData): void {
  writer.int32(data.id).int32(data.channels.length);
  for (const samples of data.channels) {
    writer.int32(samples.length);
    for (const sample of samples) writer.float32(sample);
  }
}
