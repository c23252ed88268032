import type { ConnectRequest, ServerInfo } from "./types.js";
import { atLeast, type NatNetVersion } from "./version.js";
import type { Writer } from "./Writer.js";

const ZERO_VERSION: NatNetVersion = { major: 0, minor: 0, build: 0, revision: 0 };

export function writeVersionBytes(writer: Writer, version: NatNetVersion): void {
  writer.uint8(version.major).uint8(version.minor).uint8(version.build).uint8(version.revision);
}

/**
 * NAT_CONNECT / NAT_DISCOVERY. Without a name the payload is empty, the smallest connect Motive
 * answers; with options it is the 269-byte sSender + sConnectionOptions form.
 */
export function writeConnect(writer: Writer, request: ConnectRequest): void {
  if (request.name === undefined) return;
  writer.fixedString(request.name, 256);
  writeVersionBytes(writer, request.appVersion ?? ZERO_VERSION);
  writeVersionBytes(writer, request.natnetVersion ?? ZERO_VERSION);
  if (request.subscribedDataOnly === undefined && request.bitstreamVersion === undefined) return;
  writer.uint8(request.subscribedDataOnly === true ? 1 : 0);
  writeVersionBytes(writer, request.bitstreamVersion ?? ZERO_VERSION);
}

/** NAT_SERVERINFO: sSender, plus from NatNet 3.0 (by its own version) clock, port and multicast group. */
export function writeServerInfo(writer: Writer, info: ServerInfo): void {
  writer.fixedString(info.name, 256);
  writeVersionBytes(writer, info.appVersion);
  writeVersionBytes(writer, info.natnetVersion);
  if (!atLeast(info.natnetVersion, 3, 0)) return;
  writer
    .uint64(info.highResClockFrequency ?? 0n)
    .uint16(info.dataPort ?? 0)
    .uint8(info.multicast === true ? 1 : 0);
  const octets = (info.multicastAddress ?? "0.0.0.0").split(".").map(Number);
  if (octets.length !== 4 || octets.some((octet) => !Number.isInteger(octet) || octet < 0 || octet > 255)) {
    throw new RangeError(`not an IPv4 address: ${info.multicastAddress}`);
  }
  for (const octet of octets) writer.uint8(octet);
}
