import { expect } from "vitest";
import {
  decodePacket,
  type FrameOfData,
  type NatNetMessageOf,
  type NatNetMessageType,
  type NatNetVersionLike,
} from "../../../hw/natnet/index.js";
import { readFixture, versionOf } from "./fixtures.js";

/** Decodes and narrows to the expected message type, failing the test otherwise. */
export function decodeAs<K extends NatNetMessageType>(
  bytes: Uint8Array,
  type: K,
  version?: NatNetVersionLike,
): NatNetMessageOf<K> {
  const message = decodePacket(bytes, version);
  expect(message.type).toBe(type);
  return message as NatNetMessageOf<K>;
}

export function decodeFixtureFrame(name: string): FrameOfData {
  return decodeAs(readFixture(name), "frameOfData", versionOf(name));
}
