/**
 * The encoder mirrors the decoder: real captures re-encode to the same bytes, and random messages
 * survive decode(encode(x)) unchanged for every supported version (3.0 and 4.1 are the ones the Motive
 * simulator will speak).
 */
import { describe, expect, it } from "vitest";
import {
  decodePacket,
  encodeFrame,
  encodeModelDef,
  encodePacket,
  encodeServerInfo,
  type NatNetMessage,
  type NatNetVersion,
  natnetVersion,
} from "../../hw/natnet/index.js";
import { binFixtures, NATNET_3_0, sessionDatagrams } from "./helpers/fixtures.js";
import { mulberry32 } from "./helpers/prng.js";
import { ALL_VERSIONS } from "./helpers/versions.js";
import { randomFrame, randomModelDef } from "./helpers/randomMessages.js";

const VERSIONS = ALL_VERSIONS;

/** Server info's 256-byte name field holds garbage after the NUL in Motive's packets; zero it. */
function withCleanName(bytes: Uint8Array): Uint8Array {
  const copy = bytes.slice();
  const nul = copy.indexOf(0, 4);
  copy.fill(0, nul, 4 + 256);
  return copy;
}

describe("re-encoding real captures", () => {
  it("every .bin fixture re-encodes byte for byte (server-info names compared up to their NUL)", () => {
    for (const { name, bytes, version } of binFixtures()) {
      const message = decodePacket(bytes, version);
      const expected = message.type === "serverInfo" ? withCleanName(bytes) : bytes;
      expect(encodePacket(message, version), name).toEqual(expected);
    }
  });

  it("all 518 session frames and the command traffic re-encode byte for byte", () => {
    let version: NatNetVersion | undefined;
    const differing: number[] = [];
    for (const datagram of sessionDatagrams()) {
      const message = decodePacket(datagram.bytes, version);
      if (message.type === "serverInfo") version = message.natnetVersion;
      const expected = message.type === "serverInfo" ? withCleanName(datagram.bytes) : datagram.bytes;
      if (!bytesEqual(encodePacket(message, version), expected)) differing.push(datagram.index);
    }
    // Lossy by design: #4's proprietary request and #5's response carry bytes after their text, #18's
    // unrecognized-request payload is junk that is not kept.
    expect(differing).toEqual([4, 5, 18]);
  });
});

describe("round trips decode(encode(x)) == x", () => {
  for (const version of VERSIONS) {
    it(`NatNet ${version.major}.${version.minor}: 300 random frames and 100 model definitions`, () => {
      const random = mulberry32(version.major * 100 + version.minor);
      for (let i = 0; i < 300; i++) {
        const frame = randomFrame(random, version);
        expect(decodePacket(encodeFrame(version, frame), version)).toEqual(frame);
      }
      for (let i = 0; i < 100; i++) {
        const modelDef = randomModelDef(random, version);
        expect(decodePacket(encodeModelDef(version, modelDef), version)).toEqual(modelDef);
      }
    });
  }

  it("server info for 2.9, 3.0 and 4.1; command messages", () => {
    for (const natnet of [natnetVersion(2, 9), natnetVersion(3, 0), natnetVersion(4, 1, 1, 0)]) {
      const extended = natnet.major >= 3;
      const info = {
        type: "serverInfo",
        name: "Motive",
        appVersion: natnetVersion(3, 1, 2, 0),
        natnetVersion: natnet,
        highResClockFrequency: extended ? 10_000_000n : undefined,
        dataPort: extended ? 1511 : undefined,
        multicast: extended ? false : undefined,
        multicastAddress: extended ? "239.255.42.99" : undefined,
      } as const;
      const bytes = encodeServerInfo(info);
      expect(bytes.length).toBe(extended ? 283 : 268);
      expect(decodePacket(bytes)).toEqual(info);
    }
    const messages: NatNetMessage[] = [
      {
        type: "connect",
        name: "rigwatch",
        appVersion: natnetVersion(0, 1),
        natnetVersion: natnetVersion(4, 1),
        subscribedDataOnly: false,
        bitstreamVersion: natnetVersion(0, 0),
      },
      {
        type: "discovery",
        name: undefined,
        appVersion: undefined,
        natnetVersion: undefined,
        subscribedDataOnly: undefined,
        bitstreamVersion: undefined,
      },
      { type: "request", command: "SetRecordTakeName,take_001" },
      { type: "response", int32: undefined, float32: undefined, text: "Bitstream,4.1" },
      { type: "messageString", text: "Recording started" },
      { type: "echoRequest", clientTimestamp: 2n ** 63n + 5n },
      { type: "echoResponse", clientTimestamp: 1n, serverReceiveTimestamp: 2n ** 64n - 1n },
      { type: "unrecognizedRequest", payloadSize: 3 },
      { type: "keepAlive" },
      { type: "requestModelDef" },
      { type: "requestFrameOfData" },
      { type: "disconnect" },
      { type: "disconnectByTimeout" },
      { type: "unknown", messageId: 300, payload: Uint8Array.from([9, 8]) },
    ];
    for (const message of messages) expect(decodePacket(encodePacket(message, NATNET_3_0))).toEqual(message);
    const response = decodePacket(
      encodePacket({ type: "response", int32: undefined, float32: 120, text: undefined }),
    );
    expect(response).toEqual({ type: "response", int32: 1123024896, float32: 120, text: undefined });
  });

  it("refuses what cannot be sent", () => {
    const frame = randomFrame(mulberry32(1), NATNET_3_0);
    expect(() => encodePacket(frame)).toThrowError(RangeError); // no version
    const huge = { ...frame, otherMarkers: Array.from({ length: 6000 }, () => [0, 0, 0] as const) };
    expect(() => encodeFrame(NATNET_3_0, huge)).toThrowError(/exceeds/);
    expect(() => encodePacket({ type: "request", command: "a\0b" })).toThrowError(/NUL/);
  });
});

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
