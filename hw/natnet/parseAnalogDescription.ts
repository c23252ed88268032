import type { NatNetFeatures } from "./features.js";
import type { Reader } from "./Reader.js";
import { readList } from "./readSection.js";
import type { DeviceDescription, ForcePlateDescription, Vec3 } from "./types.js";

/** Force-plate description (NatNet ≥ 3.0; PacketClient 4.3 `UnpackForcePlateDescription`). */
export function parseForcePlateDescription(reader: Reader, features: NatNetFeatures): ForcePlateDescription {
  const id = reader.int32("id");
  const serialNumber = reader.cstring("serialNumber");
  const width = reader.float32("width");
  const length = reader.float32("length");
  const origin = reader.vec3("origin");
  const calibrationMatrix: number[][] = [];
  for (let row = 0; row < 12; row++) {
    const values: number[] = [];
    for (let column = 0; column < 12; column++) values.push(reader.float32("calibrationMatrix"));
    calibrationMatrix.push(values);
  }
  const corners: Vec3[] = [];
  for (let corner = 0; corner < 4; corner++) corners.push(reader.vec3("corners"));
  const plateType = reader.int32("plateType");
  const channelDataType = reader.int32("channelDataType");
  const channelNames = readList(reader, features, "channelNames", 1, parseName);
  return {
    kind: "forcePlate",
    id,
    serialNumber,
    width,
    length,
    origin,
    calibrationMatrix,
    corners,
    plateType,
    channelDataType,
    channelNames,
  };
}

/** Device (e.g. NI-DAQ) description (NatNet ≥ 3.0; PacketClient 4.3 `UnpackDeviceDescription`). */
export function parseDeviceDescription(reader: Reader, features: NatNetFeatures): DeviceDescription {
  const id = reader.int32("id");
  const name = reader.cstring("name");
  const serialNumber = reader.cstring("serialNumber");
  const deviceType = reader.int32("deviceType");
  const channelDataType = reader.int32("channelDataType");
  const channelNames = readList(reader, features, "channelNames", 1, parseName);
  return { kind: "device", id, name, serialNumber, deviceType, channelDataType, channelNames };
}

function parseName(reader: Reader): string {
  return reader.cstring("name");
}
