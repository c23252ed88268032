/**
 * The whole Motive 2.1 session (550 datagrams): replayed from the TSV and from the pcapng through a
 * small pcapng reader, decoded with the version its own server info announces, and compared with
 * `…_frames_expected.csv` row by row and with NaturalPoint's SampleClient printout.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  decodePacket,
  decodeTimecode,
  type FrameOfData,
  MarkerParams,
  type NatNetMessage,
  type NatNetVersion,
} from "../../hw/natnet/index.js";
import { expectRounded } from "./helpers/expectNumbers.js";
import {
  expectedFrameRows,
  NATNET_FIXTURES,
  readFixture,
  SESSION,
  sampleClientFrames,
  sessionDatagrams,
} from "./helpers/fixtures.js";
import { udpDatagrams } from "./helpers/pcapng.js";

const datagrams = sessionDatagrams();

/** What a client does: no version until server info arrives, then decode everything with it. */
function replay(payloads: readonly Uint8Array[]): NatNetMessage[] {
  let version: NatNetVersion | undefined;
  return payloads.map((payload) => {
    const message = decodePacket(payload, version);
    if (message.type === "serverInfo") version = message.natnetVersion;
    return message;
  });
}

const messages = replay(datagrams.map((d) => d.bytes));
const frames = messages.filter((m): m is FrameOfData => m.type === "frameOfData");
const hz = 3312787;

describe("session pcapng", () => {
  it("a minimal pcapng reader yields the TSV's 550 datagrams: same bytes, endpoints and times", () => {
    const captured = udpDatagrams(new Uint8Array(readFileSync(join(NATNET_FIXTURES, `${SESSION}.pcapng`))));
    expect(captured).toHaveLength(550);
    expect(datagrams).toHaveLength(550);
    captured.forEach((datagram, i) => {
      const row = datagrams[i]!;
      expect(datagram.payload).toEqual(row.bytes);
      expect([datagram.source, datagram.destination, datagram.timeUs]).toEqual([
        row.source,
        row.destination,
        row.timeUs,
      ]);
    });
  });

  it("the single-packet 3.0 fixtures are byte-identical to session datagrams", () => {
    const at = (index: number) => datagrams.find((d) => d.index === index)?.bytes;
    expect(readFixture("natnet3.0_motive2.1_discovery.bin")).toEqual(at(0));
    expect(readFixture("natnet3.0_motive2.1_serverinfo.bin")).toEqual(at(1));
    expect(readFixture("natnet3.0_motive2.1_connect.bin")).toEqual(at(2));
    expect(readFixture("natnet3.0_motive2.1_frame_162734.bin")).toEqual(at(10));
    expect(readFixture("natnet3.0_motive2.1_requestmodeldef.bin")).toEqual(at(19));
    expect(readFixture("natnet3.0_motive2.1_modeldef.bin")).toEqual(at(20));
    expect(readFixture("natnet3.0_motive2.1_echorequest.bin")).toEqual(at(45));
    expect(readFixture("natnet3.0_motive2.1_echoresponse.bin")).toEqual(at(46));
  });
});

describe("session command traffic", () => {
  const byIndex = (index: number) => messages[datagrams.findIndex((d) => d.index === index)];

  it("discovery, server info, connect, server info", () => {
    expect([0, 1, 2, 3].map((i) => byIndex(i)?.type)).toEqual([
      "discovery",
      "serverInfo",
      "connect",
      "serverInfo",
    ]);
  });

  it("requests and their responses: FrameRate 120.0 (float), AnalogSamplesPerMocapFrame 0 (int)", () => {
    expect(byIndex(4)).toMatchObject({ type: "request" });
    expect((byIndex(4) as { command: string }).command.startsWith("service20,-1,")).toBe(true);
    expect(byIndex(5)).toMatchObject({ type: "response", int32: undefined }); // 9 bytes: a string
    expect(byIndex(6)).toEqual({ type: "request", command: "FrameRate" });
    expect(byIndex(8)).toMatchObject({ type: "response", float32: 120 });
    expect(byIndex(14)).toEqual({ type: "request", command: "AnalogSamplesPerMocapFrame" });
    expect(byIndex(15)).toMatchObject({ type: "response", int32: 0 });
  });

  it("TestRequest gets NAT_UNRECOGNIZED_REQUEST (id 100) with a 264-byte junk payload", () => {
    expect(byIndex(17)).toEqual({ type: "request", command: "TestRequest" });
    expect(datagrams.find((d) => d.index === 18)?.bytes.subarray(0, 2)).toEqual(
      Uint8Array.from([0x64, 0x00]),
    );
    expect(byIndex(18)).toEqual({ type: "unrecognizedRequest", payloadSize: 264 });
  });

  it("model definitions requested and received", () => {
    expect(byIndex(19)).toEqual({ type: "requestModelDef" });
    expect(byIndex(20)?.type).toBe("modelDef");
  });

  it("9 echo pairs, each response echoing its request's timestamp", () => {
    const requests = messages.filter((m) => m.type === "echoRequest");
    const responses = messages.filter((m) => m.type === "echoResponse");
    expect([requests.length, responses.length]).toEqual([9, 9]);
    responses.forEach((response, i) => expect(response.clientTimestamp).toBe(requests[i]?.clientTimestamp));
  });

  it("every datagram decodes to a known message type", () => {
    expect(messages.filter((m) => m.type === "unknown")).toEqual([]);
  });
});

describe("session frames", () => {
  it("518 frames, 162734…163251 consecutive", () => {
    expect(frames).toHaveLength(518);
    frames.forEach((frame, i) => expect(frame.frameNumber).toBe(162734 + i));
  });

  it("match frames_expected.csv row by row, exactly (float32 values as shortest round-trip doubles)", () => {
    const rows = expectedFrameRows();
    expect(rows).toHaveLength(518);
    rows.forEach((row, i) => {
      const frame = frames[i]!;
      const body = frame.rigidBodies[0];
      expect(frame.rigidBodies).toHaveLength(1);
      const actual = {
        frame_number: frame.frameNumber,
        rb_id: body?.id,
        x: body?.position[0],
        y: body?.position[1],
        z: body?.position[2],
        qx: body?.orientation[0],
        qy: body?.orientation[1],
        qz: body?.orientation[2],
        qw: body?.orientation[3],
        mean_error: body?.meanError,
        rb_params: body?.params,
        other_marker_count: frame.otherMarkers.length,
        labeled_marker_count: frame.labeledMarkers.length,
        timestamp_s: frame.timestamp,
        mid_exposure_ticks: frame.cameraMidExposureTimestamp,
        data_received_ticks: frame.cameraDataReceivedTimestamp,
        transmit_ticks: frame.transmitTimestamp,
        frame_params: frame.params,
      };
      const expected = Object.fromEntries(
        Object.entries(row).map(([column, text]) => [
          column,
          column.endsWith("_ticks") ? BigInt(text) : Number(text),
        ]),
      );
      expect(actual, `csv row ${i + 1}`).toEqual(expected);
      expect(body?.trackingValid).toBe(true);
    });
  });

  it("match NaturalPoint SampleClient's printout for its 251 frames (2-decimal rounding)", () => {
    const printed = sampleClientFrames();
    expect(printed).toHaveLength(251);
    for (const p of printed) {
      const frame = frames[p.frameId - 162734]!;
      expect(frame.frameNumber).toBe(p.frameId);
      expectRounded(frame.timestamp, p.timestamp);
      const ticks = (from: bigint | undefined) =>
        (Number((frame.transmitTimestamp ?? 0n) - (from ?? 0n)) / hz) * 1000;
      expectRounded(ticks(frame.cameraDataReceivedTimestamp), p.softwareLatencyMs);
      expectRounded(ticks(frame.cameraMidExposureTimestamp), p.systemLatencyMs);
      const tc = decodeTimecode(frame.timecode, frame.timecodeSubframe);
      expect(
        `${[tc.hours, tc.minutes, tc.seconds, tc.frames].map((n) => String(n).padStart(2, "0")).join(":")}.${tc.subframe}`,
      ).toBe(p.timecode);
      expect(frame.otherMarkers).toHaveLength(p.otherMarkers.length);
      p.otherMarkers.forEach((xyz, i) => xyz.forEach((v, k) => expectRounded(frame.otherMarkers[i]?.[k], v)));
      expect(frame.rigidBodies).toHaveLength(p.rigidBodies.length);
      p.rigidBodies.forEach((b, i) => {
        const body = frame.rigidBodies[i]!;
        expect([body.id, body.trackingValid]).toEqual([b.id, b.valid]);
        expectRounded(body.meanError, b.error);
        [...body.position, ...body.orientation].forEach((v, k) => expectRounded(v, b.pose[k]!));
      });
      expect(frame.labeledMarkers).toHaveLength(p.labeledMarkers.length);
      p.labeledMarkers.forEach((m, i) => {
        const marker = frame.labeledMarkers[i]!;
        const flag = (bit: number) => ((marker.params ?? 0) & bit) !== 0;
        expect([marker.modelId, marker.markerId]).toEqual([m.modelId, m.markerId]);
        expect([
          flag(MarkerParams.Occluded),
          flag(MarkerParams.PointCloudSolved),
          flag(MarkerParams.ModelSolved),
        ]).toEqual([m.occluded, m.pcSolved, m.modelSolved]);
        expectRounded(marker.size, m.size);
        m.position.forEach((v, k) => expectRounded(marker.position[k], v));
      });
    }
  });
});
