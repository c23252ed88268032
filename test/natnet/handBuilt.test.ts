/**
 * Layouts no capture covers (NatNet 4.x, skeletons, force plates, devices, analog descriptions), written
 * byte by byte from PacketClient 4.3 (`UnpackFrameData`, `UnpackDescription`) and PacketClient 2.9 with
 * the byte builders, not the encoder, so they check the decoder against the sources independently.
 */
import { describe, expect, it } from "vitest";
import { decodePacket, NatNetDecodeError, type NatNetVersionLike } from "../../hw/natnet/index.js";
import { cat, f32, f64, i32, packet, str, u16, u32, u64 } from "./helpers/bytes.js";
import { decodeAs } from "./helpers/decode.js";

const v = (major: number, minor: number): NatNetVersionLike => ({ major, minor });
const f = Math.fround;

/** A ≥ 3.0 rigid body: id, position, orientation, mean error, params (38 bytes). */
const rigidBody = (id: number, params: number) =>
  cat(i32(id), f32(0.5, 1.5, -0.25), f32(0, 0, 0, 1), f32(0.001), u16(params));

describe("NatNet 4.1 frame: section byte sizes, assets, precision timestamps", () => {
  const frame41 = packet(
    7,
    // frame number
    i32(5000),
    // marker sets: count, byte size; "all" with one marker
    cat(i32(1), i32(20), str("all"), i32(1), f32(1, 2, 3)),
    // other markers: count, byte size, xyz
    cat(i32(1), i32(12), f32(4, 5, 6)),
    // rigid bodies: count, byte size, 2 × 38 bytes
    cat(i32(2), i32(76), rigidBody(3, 1), rigidBody(4, 0)),
    // skeletons: none
    cat(i32(0), i32(0)),
    // assets: count, byte size; asset 9 with one rigid body (38) and one marker (26)
    cat(i32(1), i32(76), i32(9), i32(1), rigidBody(0x90001, 1)),
    cat(i32(1), i32(0x90002), f32(7, 8, 9), f32(0.02), u16(0x28), f32(0.0004)),
    // labeled markers: count, byte size; model 3 marker 5: xyz, size, params, residual
    cat(i32(1), i32(26), u32(0x30005), f32(1, 1, 1), f32(0.015), u16(0x0a), f32(0.0002)),
    // force plates: none
    cat(i32(0), i32(0)),
    // devices: count, byte size; device 2, 1 channel of 2 samples
    cat(i32(1), i32(20), i32(2), i32(1), i32(2), f32(0.5, -0.5)),
    // timecode 01:02:03:04 subframe 7; timestamp
    cat(u32(0x01020304), u32(7), f64(41.666666666666664)),
    // mid-exposure, data-received, transmit ticks
    cat(u64(1000n), u64(2000n), u64(3000n)),
    // precision timestamp seconds and fraction
    cat(u32(1_700_000_000), u32(123_456)),
    // params (recording, model list changed), end of data
    cat(u16(0x03), i32(0)),
  );

  it("decodes every section (and 4.2, whose frame layout is the same)", () => {
    for (const version of [v(4, 1), v(4, 2)]) {
      const frame = decodeAs(frame41, "frameOfData", version);
      expect(frame.frameNumber).toBe(5000);
      expect(frame.markerSets).toEqual([{ name: "all", markers: [[1, 2, 3]] }]);
      expect(frame.otherMarkers).toEqual([[4, 5, 6]]);
      expect(frame.rigidBodies.map((b) => [b.id, b.params, b.trackingValid, b.meanError, b.markers])).toEqual(
        [
          [3, 1, true, f(0.001), undefined],
          [4, 0, false, f(0.001), undefined],
        ],
      );
      expect(frame.assets).toEqual([
        {
          id: 9,
          rigidBodies: [
            {
              id: 0x90001,
              position: [0.5, 1.5, -0.25],
              orientation: [0, 0, 0, 1],
              meanError: f(0.001),
              params: 1,
            },
          ],
          markers: [{ id: 0x90002, position: [7, 8, 9], size: f(0.02), params: 0x28, residual: f(0.0004) }],
        },
      ]);
      expect(frame.labeledMarkers).toEqual([
        {
          id: 0x30005,
          modelId: 3,
          markerId: 5,
          position: [1, 1, 1],
          size: f(0.015),
          params: 10,
          residual: f(0.0002),
        },
      ]);
      expect(frame.devices).toEqual([{ id: 2, channels: [[0.5, -0.5]] }]);
      expect([frame.timecode, frame.timecodeSubframe, frame.timestamp]).toEqual([
        0x01020304, 7, 41.666666666666664,
      ]);
      expect([
        frame.cameraMidExposureTimestamp,
        frame.cameraDataReceivedTimestamp,
        frame.transmitTimestamp,
      ]).toEqual([1000n, 2000n, 3000n]);
      expect([frame.precisionTimestampSeconds, frame.precisionTimestampFractionalSeconds]).toEqual([
        1_700_000_000, 123_456,
      ]);
      expect(frame.params).toBe(3);
    }
  });

  it("fails when a section's byte size disagrees with its content", () => {
    // Marker-set size 24 instead of 20: the section leaves 4 bytes unread.
    const wrong = frame41.slice();
    new DataView(wrong.buffer).setInt32(12, 24, true);
    expect(() => decodePacket(wrong, v(4, 1))).toThrowError(
      expect.objectContaining({ field: "markerSets.byteSize", offset: 36 }), // where the elements ended
    );
    // Rigid-body size 75 instead of 76: the second body cannot fit in it.
    const short = frame41.slice();
    new DataView(short.buffer).setInt32(60, 75, true); // offset 60: the rigid-body byte size
    expect(() => decodePacket(short, v(4, 1))).toThrowError(
      expect.objectContaining({ field: "rigidBodies.count" }),
    );
  });

  it("is not a 4.0 or 3.x frame", () => {
    for (const version of [v(4, 0), v(3, 1), v(3, 0)]) {
      expect(() => decodePacket(frame41, version)).toThrowError(NatNetDecodeError);
    }
  });
});

describe("skeletons, force plates and devices in frames", () => {
  it("3.0: a skeleton's bones are plain rigid bodies (no marker arrays); devices present", () => {
    const bytes = packet(
      7,
      // frame 1; no marker sets, other markers or rigid bodies
      cat(i32(1), i32(0), i32(0), i32(0)),
      // skeletons: one, id 5, two bones
      cat(i32(1), i32(5), i32(2), rigidBody(0x50001, 1), rigidBody(0x50002, 0)),
      // labeled markers: none
      i32(0),
      // force plates: one, id 11, two channels of 1 and 0 samples
      cat(i32(1), i32(11), i32(2), i32(1), f32(9), i32(0)),
      // devices: one, id 12, one channel of 3 samples
      cat(i32(1), i32(12), i32(1), i32(3), f32(1, 2, 3)),
      // timecode, subframe, timestamp, three tick stamps, params, end of data
      cat(u32(0), u32(0), f64(1.5), u64(1n), u64(2n), u64(3n), u16(0), i32(0)),
    );
    const frame = decodeAs(bytes, "frameOfData", v(3, 0));
    expect(frame.skeletons).toHaveLength(1);
    expect(frame.skeletons[0]?.id).toBe(5);
    expect(frame.skeletons[0]?.bones.map((b) => [b.id >>> 16, b.id & 0xffff, b.trackingValid])).toEqual([
      [5, 1, true],
      [5, 2, false],
    ]);
    expect(frame.forcePlates).toEqual([{ id: 11, channels: [[9], []] }]);
    expect(frame.devices).toEqual([{ id: 12, channels: [[1, 2, 3]] }]);
  });

  it("2.7: bones carry grouped marker arrays like top-level rigid bodies (PacketClient 2.9)", () => {
    const bone = cat(
      // id, position, orientation
      cat(i32(0x10001), f32(1, 2, 3), f32(0, 0, 0, 1)),
      // 2 markers: all positions, then all ids, then all sizes
      cat(i32(2), f32(1, 1, 1), f32(2, 2, 2), i32(7), i32(8), f32(0.01, 0.02)),
      // mean error, params
      cat(f32(0.003), u16(1)),
    );
    const bytes = packet(
      7,
      // frame 42; no marker sets, other markers or rigid bodies
      cat(i32(42), i32(0), i32(0), i32(0)),
      // one skeleton (id 1) with one bone; no labeled markers
      cat(i32(1), i32(1), i32(1), bone, i32(0)),
      // latency, timecode, subframe, timestamp, params, end of data
      cat(f32(12.5), u32(0), u32(0), f64(0.35), u16(0), i32(0)),
    );
    const frame = decodeAs(bytes, "frameOfData", v(2, 7));
    expect(frame.skeletons[0]?.bones[0]?.markers).toEqual([
      { position: [1, 1, 1], id: 7, size: f(0.01) },
      { position: [2, 2, 2], id: 8, size: f(0.02) },
    ]);
    expect(frame.softwareLatency).toBe(12.5);
    expect(frame.timestamp).toBe(0.35);
    expect(frame.devices).toEqual([]); // none before 2.11
  });

  it("2.9: force-plate data with samples", () => {
    const bytes = packet(
      7,
      // frame 1; no marker sets, other markers, rigid bodies, skeletons or labeled markers
      cat(i32(1), i32(0), i32(0), i32(0), i32(0), i32(0)),
      // force plates: two; plate 1 has one channel [3, 4], plate 2 none
      cat(i32(2), i32(1), i32(1), i32(2), f32(3, 4), i32(2), i32(0)),
      // latency, timecode, subframe, timestamp, params, end of data
      cat(f32(0), u32(0), u32(0), f64(2), u16(0), i32(0)),
    );
    expect(decodeAs(bytes, "frameOfData", v(2, 9)).forcePlates).toEqual([
      { id: 1, channels: [[3, 4]] },
      { id: 2, channels: [] },
    ]);
  });

  it("rejects a non-zero end-of-data tag", () => {
    const bytes = packet(
      7,
      // frame 1; every section empty (marker sets … devices)
      cat(i32(1), i32(0), i32(0), i32(0), i32(0), i32(0), i32(0), i32(0)),
      // timecode, subframe, timestamp, three tick stamps, params, and an end tag of 5
      cat(u32(0), u32(0), f64(0), u64(0n), u64(0n), u64(0n), u16(0), i32(5)),
    );
    expect(() => decodePacket(bytes, v(3, 0))).toThrowError(expect.objectContaining({ field: "endOfData" }));
  });
});

describe("model definitions by version", () => {
  const markerOffsets = cat(f32(0.1, 0, 0), f32(0, 0.1, 0)); // two marker offsets

  it("4.2: per-description sizes, rotation offset, marker names, cameras, assets, unknown types skipped", () => {
    const rigidBody = cat(
      // name, id, parent, offset, rotation offset (4.2)
      cat(str("Tool"), i32(3), i32(-1), f32(1, 2, 3), f32(0, 0, 0.5, 0.5)),
      // 2 markers: all offsets, all active labels, all names (4.0)
      cat(i32(2), markerOffsets, i32(0), i32(7), str("M1"), str("M2")),
    );
    // name, position, orientation
    const camera = cat(str("Cam"), f32(1, 2, 3), f32(0, 0, 0, 1));
    // a rigid-body description with no markers
    const assetRigidBody = cat(str("A"), i32(1), i32(-1), f32(0, 0, 0), f32(0, 0, 0, 1), i32(0));
    const asset = cat(
      // name, asset type, id, one rigid body
      cat(str("Glove"), i32(1), i32(21), i32(1), assetRigidBody),
      // one marker: name, id, position, size, params
      cat(i32(1), str("m"), i32(4), f32(1, 1, 1), f32(0.01), u16(2)),
    );
    const bytes = packet(
      5,
      // 4 descriptions, each: type, byte size, body
      i32(4),
      cat(i32(1), i32(rigidBody.length), rigidBody),
      cat(i32(5), i32(camera.length), camera),
      cat(i32(6), i32(asset.length), asset),
      // a type from the future: skipped by its size
      cat(i32(99), i32(3), [1, 2, 3]),
    );
    const modelDef = decodeAs(bytes, "modelDef", v(4, 2));
    expect(modelDef.descriptions).toEqual([
      {
        kind: "rigidBody",
        name: "Tool",
        id: 3,
        parentId: -1,
        offset: [1, 2, 3],
        rotationOffset: [0, 0, 0.5, 0.5],
        markers: [
          { offset: [f(0.1), 0, 0], activeLabel: 0, name: "M1" },
          { offset: [0, f(0.1), 0], activeLabel: 7, name: "M2" },
        ],
      },
      { kind: "camera", name: "Cam", position: [1, 2, 3], orientation: [0, 0, 0, 1] },
      {
        kind: "asset",
        name: "Glove",
        assetType: 1,
        id: 21,
        rigidBodies: [
          {
            kind: "rigidBody",
            name: "A",
            id: 1,
            parentId: -1,
            offset: [0, 0, 0],
            rotationOffset: [0, 0, 0, 1],
            markers: [],
          },
        ],
        markers: [{ name: "m", id: 4, position: [1, 1, 1], size: f(0.01), params: 2 }],
      },
      { kind: "unknown", typeId: 99, payload: Uint8Array.from([1, 2, 3]) },
    ]);
  });

  it("4.1: sizes and marker names, no rotation offset; a wrong description size fails", () => {
    // name, id, parent, offset; 2 markers: offsets, active labels, names
    const header = cat(str("Tool"), i32(3), i32(-1), f32(0, 0, 0));
    const body = cat(header, i32(2), markerOffsets, i32(0), i32(0), str("M1"), str("M2"));
    const description = decodeAs(packet(5, i32(1), i32(1), i32(body.length), body), "modelDef", v(4, 1))
      .descriptions[0];
    expect(description).toMatchObject({ kind: "rigidBody", rotationOffset: undefined });
    expect(description?.kind === "rigidBody" && description.markers?.map((m) => m.name)).toEqual([
      "M1",
      "M2",
    ]);
    expect(() =>
      decodePacket(packet(5, i32(1), i32(1), i32(body.length + 1), body, [0]), v(4, 1)),
    ).toThrowError(expect.objectContaining({ field: "descriptions[0].byteSize" }));
  });

  it("4.0: marker names but no sizes; an unknown type cannot be skipped and fails", () => {
    // name, id, parent, offset; 2 markers: offsets, active labels, names
    const header = cat(str("Tool"), i32(3), i32(-1), f32(0, 0, 0));
    const body = cat(header, i32(2), markerOffsets, i32(0), i32(0), str("M1"), str("M2"));
    const modelDef = decodeAs(packet(5, i32(1), i32(1), body), "modelDef", v(4, 0));
    expect(modelDef.descriptions[0]).toMatchObject({ name: "Tool", rotationOffset: undefined });
    expect(() => decodePacket(packet(5, i32(1), i32(99), [1, 2, 3, 4, 5]), v(4, 0))).toThrowError(
      expect.objectContaining({ field: "descriptions[0].type", offset: 8 }),
    );
  });

  it("3.0: force plates, devices and skeletons (bones as full rigid-body descriptions)", () => {
    const calibration = f32(...Array.from({ length: 144 }, (_, i) => i));
    const corners = f32(...Array.from({ length: 12 }, (_, i) => -i));
    const forcePlate = cat(
      // id, serial number, width, length, origin
      cat(i32(1), str("FP-01"), f32(0.6, 0.4), f32(0, 0, 0)),
      // 12 × 12 calibration matrix, 4 corners
      cat(calibration, corners),
      // plate type, channel data type, 2 channel names
      cat(i32(2), i32(1), i32(2), str("Fx"), str("Fy")),
    );
    const device = cat(i32(2), str("DAQ"), str("SN2"), i32(3), i32(1), i32(1), str("ai0"));
    const bone = cat(str("Hip"), i32(1), i32(-1), f32(0, 1, 0), i32(0));
    const skeleton = cat(str("Bob"), i32(4), i32(1), bone);
    const modelDef = decodeAs(
      packet(5, i32(3), i32(3), forcePlate, i32(4), device, i32(2), skeleton),
      "modelDef",
      v(3, 0),
    );
    const [plate, daq, bob] = modelDef.descriptions;
    expect(plate).toMatchObject({
      kind: "forcePlate",
      id: 1,
      serialNumber: "FP-01",
      plateType: 2,
      channelDataType: 1,
      channelNames: ["Fx", "Fy"],
    });
    expect(plate?.kind === "forcePlate" && [plate.calibrationMatrix[11]?.[11], plate.corners[3]]).toEqual([
      143,
      [-9, -10, -11],
    ]);
    expect(daq).toEqual({
      kind: "device",
      id: 2,
      name: "DAQ",
      serialNumber: "SN2",
      deviceType: 3,
      channelDataType: 1,
      channelNames: ["ai0"],
    });
    expect(bob).toEqual({
      kind: "skeleton",
      name: "Bob",
      id: 4,
      bones: [
        {
          kind: "rigidBody",
          name: "Hip",
          id: 1,
          parentId: -1,
          offset: [0, 1, 0],
          rotationOffset: undefined,
          markers: [],
        },
      ],
    });
  });

  it("2.9: rigid bodies without markers; force-plate descriptions have no documented layout and fail", () => {
    const modelDef = decodeAs(
      packet(5, i32(1), i32(1), str("RB"), i32(1), i32(-1), f32(0, 0, 0)),
      "modelDef",
      v(2, 9),
    );
    expect(modelDef.descriptions[0]).toEqual({
      kind: "rigidBody",
      name: "RB",
      id: 1,
      parentId: -1,
      offset: [0, 0, 0],
      rotationOffset: undefined,
      markers: undefined,
    });
    expect(() => decodePacket(packet(5, i32(1), i32(3), i32(1), str("FP")), v(2, 9))).toThrowError(
      NatNetDecodeError,
    );
  });
});

describe("command messages", () => {
  it("connect: empty, Ping, sSender + options (libNatNet 4.4), and PacketClient 4.3's padded form", () => {
    const empty = {
      name: undefined,
      appVersion: undefined,
      subscribedDataOnly: undefined,
      bitstreamVersion: undefined,
    };
    expect(decodeAs(packet(0), "connect")).toMatchObject(empty);
    expect(decodeAs(packet(0, str("Ping")), "connect")).toMatchObject(empty);
    const sender = cat(str("Ping"), new Array(251).fill(0), [4, 2, 0, 0], [4, 2, 0, 0]);
    const options = cat([1], [4, 1, 0, 0]);
    for (const bytes of [packet(0, sender, options), packet(0, sender, options, [0, 0, 0, 0])]) {
      expect(decodeAs(bytes, "connect")).toEqual({
        type: "connect",
        name: "Ping",
        appVersion: { major: 4, minor: 2, build: 0, revision: 0 },
        natnetVersion: { major: 4, minor: 2, build: 0, revision: 0 },
        subscribedDataOnly: true,
        bitstreamVersion: { major: 4, minor: 1, build: 0, revision: 0 },
      });
    }
  });

  it("server info: 2.x must be 264 bytes, ≥ 3.0 must be 279", () => {
    const name = cat(str("Motive"), new Array(249).fill(0));
    expect(() => decodePacket(packet(1, name, [3, 1, 0, 0], [3, 0, 0, 0]))).toThrowError(
      expect.objectContaining({ field: "highResClockFrequency" }),
    );
    expect(() => decodePacket(packet(1, name, [1, 9, 0, 0], [2, 9, 0, 0], [0]))).toThrowError(
      NatNetDecodeError,
    );
    expect(() => decodePacket(packet(1, new Array(256).fill(65), [1, 9, 0, 0], [2, 9, 0, 0]))).toThrowError(
      expect.objectContaining({ field: "name" }),
    );
  });

  it("responses, message strings, keep-alive with a stray NUL, unknown ids", () => {
    expect(decodeAs(packet(3, str("Bitstream,4.1")), "response")).toEqual({
      type: "response",
      int32: undefined,
      float32: undefined,
      text: "Bitstream,4.1",
    });
    expect(decodeAs(packet(3, i32(-1)), "response")).toMatchObject({ int32: -1 });
    expect(decodeAs(packet(8, str("hello")), "messageString")).toEqual({
      type: "messageString",
      text: "hello",
    });
    // PY43 pads a keep-alive with a NUL outside the payload, GO inside it: both are keep-alives.
    expect(decodeAs(Uint8Array.from([10, 0, 0, 0, 0]), "keepAlive")).toEqual({ type: "keepAlive" });
    expect(decodeAs(packet(10, [0]), "keepAlive")).toEqual({ type: "keepAlive" });
    expect(decodeAs(packet(42, [1, 2]), "unknown")).toEqual({
      type: "unknown",
      messageId: 42,
      payload: Uint8Array.from([1, 2]),
    });
    expect(() => decodePacket(packet(12, u32(1)))).toThrowError(
      expect.objectContaining({ field: "clientTimestamp" }),
    );
  });

  it("keeps nothing that borrows the datagram: reusing the receive buffer leaves results intact", () => {
    const buffer = packet(42, [1, 2, 3]);
    const message = decodeAs(buffer, "unknown");
    buffer.fill(0xee);
    expect(message.payload).toEqual(Uint8Array.from([1, 2, 3]));
  });
});
