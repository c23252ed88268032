/**
 * Truncated, corrupted and wrongly-versioned datagrams must throw NatNetDecodeError and nothing else:
 * no RangeError from DataView, no TypeError, no runaway allocation, no silent partial result.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodePacket, NatNetDecodeError, type NatNetVersionLike } from "../../hw/natnet/index.js";
import { binFixtures, FRAME_162734, NATNET_3_0, readFixture } from "./helpers/fixtures.js";
import { below, mulberry32 } from "./helpers/prng.js";
import { ALL_VERSIONS } from "./helpers/versions.js";

const fixtures = binFixtures();
/** Messages whose layout is fixed by the bytes: any truncation must fail. Connect is lenient by design. */
const STRICT_TYPES = new Set(["frameOfData", "modelDef", "serverInfo", "echoRequest", "echoResponse"]);
const strictFixtures = fixtures.filter(({ bytes, version }) =>
  STRICT_TYPES.has(decodePacket(bytes, version).type),
);

const VERSIONS = ALL_VERSIONS;

/**
 * Outcome of one decode: "ok", or "error" for a NatNetDecodeError whose offset lies inside the datagram;
 * anything else is thrown and fails the test. Checked by hand, not with `expect`: the fuzz makes a
 * million of them, and an `expect` per packet was most of the file's time.
 */
function outcome(bytes: Uint8Array, version: NatNetVersionLike | undefined): "ok" | "error" {
  try {
    decodePacket(bytes, version);
    return "ok";
  } catch (error) {
    if (!(error instanceof NatNetDecodeError)) throw error;
    if (!(error.offset >= 0 && error.offset <= bytes.length))
      throw new Error(`NatNetDecodeError at offset ${error.offset} of a ${bytes.length}-byte datagram`);
    return "error";
  }
}

function withPayloadSize(bytes: Uint8Array, size: number): Uint8Array {
  const copy = bytes.slice();
  new DataView(copy.buffer).setUint16(2, size, true);
  return copy;
}

describe("truncation", () => {
  it("every prefix of every fixture fails, as a short datagram, with a typed error", () => {
    let cases = 0;
    const decoded: string[] = [];
    for (const { name, bytes, version } of fixtures) {
      for (let length = 0; length < bytes.length; length++) {
        if (outcome(bytes.subarray(0, length), version) !== "error") decoded.push(`${name} cut to ${length}`);
        cases++;
      }
    }
    expect(decoded).toEqual([]);
    expect(cases).toBeGreaterThan(5000);
  });

  it("every prefix with its header rewritten to match fails inside the payload", () => {
    const notTyped: string[] = [];
    for (const { name, bytes, version } of strictFixtures) {
      for (let length = 4; length < bytes.length; length++) {
        const truncated = withPayloadSize(bytes.subarray(0, length), length - 4);
        let error: unknown;
        try {
          decodePacket(truncated, version);
        } catch (caught) {
          error = caught;
        }
        if (!(error instanceof NatNetDecodeError)) notTyped.push(`${name} cut to ${length} bytes`);
      }
    }
    expect(notTyped).toEqual([]);
  });

  it("names the field and offset where the bytes ran out", () => {
    const frame = readFixture(FRAME_162734);
    // Cut inside the transmit timestamp (offset 322 in the byte map of natnet.md §6).
    const cut = withPayloadSize(frame.subarray(0, 325), 321);
    expect(() => decodePacket(cut, NATNET_3_0)).toThrowError(
      expect.objectContaining({
        name: "NatNetDecodeError",
        messageId: 7,
        offset: 322,
        field: "transmitTimestamp",
        needed: 8,
        available: 3,
        version: "3.0",
      }),
    );
  });

  it("catches a count that cannot fit before reading its elements", () => {
    const frame = readFixture(FRAME_162734);
    // Cut inside the rigid body: its count (offset 76) promises 38 bytes, 37 are left.
    const cut = withPayloadSize(frame.subarray(0, 117), 113);
    expect(() => decodePacket(cut, NATNET_3_0)).toThrowError(
      expect.objectContaining({ offset: 76, field: "rigidBodies.count" }),
    );
  });

  it("an over-long frame (bytes the payload size covers but the layout does not) fails with the offset", () => {
    const frame = readFixture(FRAME_162734);
    const longer = withPayloadSize(Uint8Array.from([...frame, 0, 0]), frame.length - 4 + 2);
    expect(() => decodePacket(longer, NATNET_3_0)).toThrowError(
      expect.objectContaining({ offset: frame.length, field: "endOfData" }),
    );
    // Bytes after the declared payload are not part of the message and are ignored (clients pad).
    expect(decodePacket(Uint8Array.from([...frame, 0, 0]), NATNET_3_0).type).toBe("frameOfData");
  });
});

describe("wrong version", () => {
  // Versions whose frame layouts are identical decode each other's frames; all others must fail.
  const SAME_FRAME_LAYOUT: Readonly<Record<string, string>> = { "3.1": "3.0", "4.0": "3.0", "4.2": "4.1" };
  const layoutGroup = (v: NatNetVersionLike) =>
    SAME_FRAME_LAYOUT[`${v.major}.${v.minor}`] ?? `${v.major}.${v.minor}`;

  it("every frame fixture decoded with a version of another frame layout throws", () => {
    let cases = 0;
    const decoded: string[] = [];
    for (const { name, bytes, version } of fixtures.filter((f) => f.name.includes("_frame_"))) {
      for (const other of VERSIONS.filter((v) => layoutGroup(v) !== layoutGroup(version))) {
        if (outcome(bytes, other) !== "error") decoded.push(`${name} as ${other.major}.${other.minor}`);
        cases++;
      }
    }
    expect(decoded).toEqual([]);
    expect(cases).toBe(9 * 8 + 2 * 6); // 2.x frames × 8 other layouts, 3.0 frames × 6
  });

  it("frames and model definitions need a version", () => {
    expect(() => decodePacket(readFixture(FRAME_162734))).toThrowError(NatNetDecodeError);
    expect(() => decodePacket(readFixture("natnet3.0_motive2.1_modeldef.bin"))).toThrowError(
      NatNetDecodeError,
    );
  });
});

describe("corruption", () => {
  it("every single-bit flip of the 3.0 frame decodes or throws NatNetDecodeError", () => {
    const frame = readFixture(FRAME_162734);
    const counts = { ok: 0, error: 0 };
    for (let bit = 0; bit < frame.length * 8; bit++) {
      const flipped = frame.slice();
      flipped[bit >> 3]! ^= 1 << (bit & 7);
      counts[outcome(flipped, NATNET_3_0)]++;
    }
    expect(counts.ok + counts.error).toBe(336 * 8);
    expect(counts.error).toBeGreaterThan(0);
    expect(counts.ok).toBeGreaterThan(0); // flips inside float values stay well-formed
  });

  it("20,000 seeded random mutations of the fixtures decode or throw NatNetDecodeError, nothing else", () => {
    const random = mulberry32(0x4e4e54); // "NNT"
    const counts = { ok: 0, error: 0 };
    const frames = fixtures.filter((f) => f.name.includes("_frame_") || f.name.includes("modeldef"));
    for (let i = 0; i < 20_000; i++) {
      // Mostly frames and model definitions: they are where the layout logic is.
      const source =
        random() < 0.85 ? frames[below(random, frames.length)]! : fixtures[below(random, fixtures.length)]!;
      const mutated = mutate(source.bytes, random);
      const version = random() < 0.8 ? source.version : VERSIONS[below(random, VERSIONS.length)]!;
      counts[outcome(mutated, version)]++;
    }
    expect(counts.ok + counts.error).toBe(20_000);
    expect(counts.error).toBeGreaterThan(1000);
  });
});

describe("fuzz: a million packets", () => {
  // Most of these packets throw, and capturing each error's stack was a third of the fuzz's time; no
  // test reads a stack (a wrong error still fails with its name and message).
  let stackTraceLimit: number;
  beforeAll(() => {
    stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
  });
  afterAll(() => {
    Error.stackTraceLimit = stackTraceLimit;
  });

  it("1,000,000 seeded mutated and random packets decode or throw NatNetDecodeError, nothing else", () => {
    const random = mulberry32(0x10e6);
    const frames = fixtures.filter((f) => f.name.includes("_frame_") || f.name.includes("modeldef"));
    const ids = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 100, 255, 0x7fff, 0xffff];
    const counts = { ok: 0, error: 0 };
    const N = 1_000_000;
    for (let i = 0; i < N; i++) {
      let packet: Uint8Array;
      let version: NatNetVersionLike | undefined;
      if (i % 5 === 4) {
        // Random bytes behind a plausible header: any message id, any length.
        packet = new Uint8Array(4 + below(random, 600));
        for (let k = 4; k < packet.length; k++) packet[k] = below(random, 256);
        const view = new DataView(packet.buffer);
        view.setUint16(0, ids[below(random, ids.length)]!, true);
        view.setUint16(2, random() < 0.7 ? packet.length - 4 : below(random, 0x10000), true);
        version = VERSIONS[below(random, VERSIONS.length)];
      } else {
        const source = frames[below(random, frames.length)]!;
        packet = mutate(source.bytes, random);
        version = random() < 0.8 ? source.version : VERSIONS[below(random, VERSIONS.length)];
      }
      counts[outcome(packet, version)]++;
    }
    expect(counts.ok + counts.error).toBe(N);
    expect(counts.error).toBeGreaterThan(N / 2);
  }, 240_000);
});

const EXTREMES = [0, 1, -1, 0x7fffffff, -0x80000000, 0xffff, 0x10000, 255, 256];

/** One to four edits: bit flips, random bytes, extreme int32s (counts, sizes), inserted or removed bytes. */
function mutate(original: Uint8Array, random: () => number): Uint8Array {
  let bytes = original.slice();
  const edits = 1 + below(random, 4);
  for (let e = 0; e < edits; e++) {
    const at = below(random, bytes.length);
    const kind = below(random, 6);
    if (kind === 0) bytes[at]! ^= 1 << below(random, 8);
    else if (kind === 1) bytes[at] = below(random, 256);
    else if (kind === 2 && at + 4 <= bytes.length) {
      new DataView(bytes.buffer).setInt32(at & ~3, EXTREMES[below(random, EXTREMES.length)]!, true);
    } else if (kind === 3) {
      const inserted = Uint8Array.from({ length: 1 + below(random, 8) }, () => below(random, 256));
      const grown = new Uint8Array(bytes.length + inserted.length);
      grown.set(bytes.subarray(0, at));
      grown.set(inserted, at);
      grown.set(bytes.subarray(at), at + inserted.length);
      bytes = grown;
    } else if (kind === 4) {
      const shrunk = new Uint8Array(bytes.length);
      shrunk.set(bytes.subarray(0, at));
      const rest = bytes.subarray(at + 1 + below(random, 8));
      shrunk.set(rest, at);
      bytes = shrunk.slice(0, at + rest.length);
    } else bytes = bytes.subarray(0, at).slice();
  }
  // Usually keep the header consistent so the damage is met inside the payload, not at the header.
  if (bytes.length >= 4 && random() < 0.8)
    new DataView(bytes.buffer, bytes.byteOffset).setUint16(2, bytes.length - 4, true);
  return bytes;
}
