import { describe, expect, it } from "vitest";
import { decodeTapMessage } from "../../hw/tap/decodeTapMessage.js";
import { encodeTapMessage } from "../../hw/tap/encodeTapMessage.js";
import type { TapMessage } from "../../hw/tap/protocol.js";
import { SequenceTracker } from "../../hw/tap/SequenceTracker.js";
import { TapDecodeError } from "../../hw/tap/TapDecodeError.js";

const envelope = { v: 1, sender: "a1b2c3", seq: 9, t: 1795470000.25, dropped: 2 };
const thumb = (fill: number) => new Uint8Array(128 * 128 * 3).fill(fill);

const EVERY_MESSAGE: TapMessage[] = [
  {
    topic: "hello",
    ...envelope,
    rig: {
      streams: [
        { name: "cam0", kind: "realsense", order: "BGR", serial: "143322063538" },
        { name: "gel_left", kind: "gelsight", order: "RGB" },
      ],
      bodies: ["motherboard", "sensor_left"],
      activeSensors: ["left"],
      fps: 30,
    },
    recording: { episode: 3, path: "/data/t/d/episode_003.h5", startedTs: 1795469990.5 },
  },
  {
    topic: "hello",
    ...envelope,
    rig: { streams: [], bodies: [], activeSensors: [], fps: 30 },
    recording: null,
  },
  {
    topic: "tick",
    ...envelope,
    frame: 41,
    ts: 1795470000.2,
    episode: 3,
    streams: [
      { name: "cam0", hash: "crc32:0badf00d:921600", thumb: thumb(7) },
      { name: "gel_left", hash: "crc32:12345678:921600", thumb: thumb(200) },
    ],
  },
  { topic: "tick", ...envelope, frame: 0, ts: 1.5, episode: null, streams: [] },
  {
    topic: "episode_start",
    ...envelope,
    episode: 3,
    path: "/x/episode_003.h5",
    ts: 10,
    activeBodies: ["sensor_left"],
  },
  { topic: "episode_start", ...envelope, episode: 4, path: "/x/episode_004.h5", ts: 11 },
  {
    topic: "episode_end",
    ...envelope,
    episode: 3,
    path: "/x/episode_003.h5",
    ts: 12,
    framesWritten: 900,
    framesDropped: 4,
  },
  { topic: "ref_reset", ...envelope, ts: 13 },
  { topic: "session_end", ...envelope, reason: "operator" },
  { topic: "bye", ...envelope },
];

describe("tap wire format", () => {
  it.each(EVERY_MESSAGE.map((m) => [m.topic, m] as const))("%s round-trips", (_topic, message) => {
    const parts = encodeTapMessage(message);
    expect(decodeTapMessage(parts)).toEqual(message);
  });

  it("puts thumbnails in binary parts after the JSON header, in the header's stream order", () => {
    const parts = encodeTapMessage(EVERY_MESSAGE[2] as TapMessage);
    expect(parts.map((p) => p.length)).toEqual([4, parts[1]!.length, 49152, 49152]);
    expect(JSON.parse(String(parts[1]))).toEqual({
      ...envelope,
      frame: 41,
      ts: 1795470000.2,
      episode: 3,
      streams: [
        { name: "cam0", hash: "crc32:0badf00d:921600" },
        { name: "gel_left", hash: "crc32:12345678:921600" },
      ],
    });
  });

  const bad: [string, Uint8Array[], string][] = [
    ["a single part", [Buffer.from("tick")], 'tap message "?": message needs ≥ 2 parts, got 1'],
    [
      "an unknown topic",
      [Buffer.from("frame"), Buffer.from("{}")],
      'tap message "frame": topic is not one of',
    ],
    [
      "a header that is not JSON",
      [Buffer.from("bye"), Buffer.from("{nope")],
      'tap message "bye": header is not JSON',
    ],
    [
      "a newer protocol",
      [Buffer.from("bye"), Buffer.from(JSON.stringify({ ...envelope, v: 2 }))],
      'tap message "bye": v is 2; this rigwatch speaks version 1',
    ],
    [
      "a missing sequence number",
      [Buffer.from("bye"), Buffer.from(JSON.stringify({ ...envelope, seq: undefined }))],
      'tap message "bye": seq must be a finite number, got undefined',
    ],
    [
      "a thumbnail of the wrong size",
      [
        Buffer.from("tick"),
        Buffer.from(
          JSON.stringify({
            ...envelope,
            frame: 1,
            ts: 1,
            episode: null,
            streams: [{ name: "cam0", hash: "h" }],
          }),
        ),
        new Uint8Array(100),
      ],
      'tap message "tick.streams[0]": thumbnail must be 128×128×3 = 49152 bytes, got 100',
    ],
    [
      "fewer thumbnails than streams",
      [
        Buffer.from("tick"),
        Buffer.from(
          JSON.stringify({
            ...envelope,
            frame: 1,
            ts: 1,
            episode: null,
            streams: [{ name: "cam0", hash: "h" }],
          }),
        ),
      ],
      'tap message "tick": streams lists 1 streams but 0 thumbnails follow',
    ],
    [
      "a negative frame count",
      [
        Buffer.from("episode_end"),
        Buffer.from(
          JSON.stringify({
            ...envelope,
            episode: 1,
            path: "p",
            ts: 1,
            frames_written: -1,
            frames_dropped: 0,
          }),
        ),
      ],
      'tap message "episode_end": frames_written must be a non-negative integer below 2^53, got -1',
    ],
    [
      "binary parts on a take event",
      [Buffer.from("ref_reset"), Buffer.from(JSON.stringify({ ...envelope, ts: 1 })), new Uint8Array(1)],
      'tap message "ref_reset": message has 1 unexpected binary parts',
    ],
    [
      "a stream of an unknown kind",
      [
        Buffer.from("hello"),
        Buffer.from(
          JSON.stringify({
            ...envelope,
            rig: {
              streams: [{ name: "x", kind: "lidar", order: "BGR" }],
              bodies: [],
              active_sensors: [],
              fps: 30,
            },
            recording: null,
          }),
        ),
      ],
      'tap message "hello.rig.streams[0]": kind must be "realsense" or "gelsight", got "lidar"',
    ],
  ];
  it.each(bad)("rejects %s with a TapDecodeError naming the field", (_what, parts, message) => {
    let error: unknown;
    try {
      decodeTapMessage(parts);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TapDecodeError);
    expect((error as Error).message.startsWith(message)).toBe(true);
  });
});

describe("SequenceTracker", () => {
  it("counts gaps per sender and takes a new sender as a restart, not a loss", () => {
    const s = new SequenceTracker();
    expect(s.push("a", 5)).toEqual({ kind: "first" });
    expect(s.push("a", 6)).toEqual({ kind: "next" });
    expect(s.push("a", 9)).toEqual({ kind: "gap", lost: 2 });
    expect(s.push("a", 10)).toEqual({ kind: "next" });
    expect(s.push("b", 0)).toEqual({ kind: "restarted", previous: "a" });
    expect(s.push("b", 1)).toEqual({ kind: "next" });
    expect(s.push("b", 4)).toEqual({ kind: "gap", lost: 2 });
    expect(s.lost).toBe(4);
    expect(s.currentSender).toBe("b");
  });
});
