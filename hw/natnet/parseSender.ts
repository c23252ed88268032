import type { Reader } from "./Reader.js";
import type { ConnectRequest, ServerInfo } from "./types.js";
import { atLeast, formatVersion, type NatNetVersion } from "./version.js";

/** sSender: 256-byte name, app version, NatNet version (NatNetTypes.h). */
export const SENDER_BYTES = 256 + 4 + 4;
/** sConnectionOptions: subscribedDataOnly, requested bitstream version. */
export const CONNECTION_OPTIONS_BYTES = 1 + 4;
/** sSender_Server's additions from NatNet 3.0: clock frequency, data port, multicast flag and group. */
export const SERVER_EXTENSION_BYTES = 8 + 2 + 1 + 4;

export function parseVersionBytes(reader: Reader, field: string): NatNetVersion {
  return {
    major: reader.uint8(field),
    minor: reader.uint8(field),
    build: reader.uint8(field),
    revision: reader.uint8(field),
  };
}

/**
 * NAT_CONNECT / NAT_DISCOVERY (natnet.md §4.1). Lenient by design: real clients send an empty payload,
 * `Ping\0`, sSender, or sSender plus options and padding, and Motive answers them all. Fields are read
 * when the payload is long enough; shorter content and extra bytes are ignored.
 */
export function parseConnect(reader: Reader, type: "connect" | "discovery"): ConnectRequest {
  if (reader.bytesRemaining() < SENDER_BYTES) {
    reader.skipRest();
    return {
      type,
      name: undefined,
      appVersion: undefined,
      natnetVersion: undefined,
      subscribedDataOnly: undefined,
      bitstreamVersion: undefined,
    };
  }
  const name = reader.fixedString("name", 256);
  const appVersion = parseVersionBytes(reader, "appVersion");
  const natnetVersion = parseVersionBytes(reader, "natnetVersion");
  const hasOptions = reader.bytesRemaining() >= CONNECTION_OPTIONS_BYTES;
  const subscribedDataOnly = hasOptions ? reader.uint8("subscribedDataOnly") !== 0 : undefined;
  const bitstreamVersion = hasOptions ? parseVersionBytes(reader, "bitstreamVersion") : undefined;
  reader.skipRest();
  return { type, name, appVersion, natnetVersion, subscribedDataOnly, bitstreamVersion };
}

/**
 * NAT_SERVERINFO (natnet.md §4.2). Its own NatNet version decides its layout, since the receiver does not
 * know the version yet: 264 bytes before 3.0, 279 from 3.0. Strict about both sizes.
 */
export function parseServerInfo(reader: Reader): ServerInfo {
  const name = reader.fixedString("name", 256);
  const appVersion = parseVersionBytes(reader, "appVersion");
  const natnetVersion = parseVersionBytes(reader, "natnetVersion");
  const extended = atLeast(natnetVersion, 3, 0);
  const highResClockFrequency = extended ? reader.uint64("highResClockFrequency") : undefined;
  const dataPort = extended ? reader.uint16("dataPort") : undefined;
  const multicast = extended ? reader.uint8("multicast") !== 0 : undefined;
  const multicastAddress = extended
    ? [0, 1, 2, 3].map(() => reader.uint8("multicastAddress")).join(".")
    : undefined;
  const size = SENDER_BYTES + (extended ? SERVER_EXTENSION_BYTES : 0);
  reader.expectAt(
    reader.limit,
    "natnetVersion",
    `a ${size}-byte server info for NatNet ${formatVersion(natnetVersion)}`,
  );
  return {
    type: "serverInfo",
    name,
    appVersion,
    natnetVersion,
    highResClockFrequency,
    dataPort,
    multicast,
    multicastAddress,
  };
}
