import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { stampAlarm } from "../../detectors/alarm.js";
import { thumbnail } from "../../detectors/image/thumbnail.js";
import type { TapMessage, TickMessage } from "../../hw/tap/protocol.js";
import { type TapNotice, TapSubscriber } from "../../hw/tap/TapSubscriber.js";
import { RecorderLink } from "../../sinks/RecorderLink.js";
import { freePort } from "../helpers/freePort.js";
import { python } from "../helpers/python.js";
import { waitFor, waitForAsync } from "../helpers/waitFor.js";
import { RecorderProcess } from "./RecorderProcess.js";

/**
 * The subscriber's receive clock, moved by the tests: it goes silent only when a test says time passed,
 * never because a busy machine paused the recorder between two hellos.
 */
let rxNow = 0;
const clock = () => rxNow;

/**
 * The module's tick queue here: long enough that a busy machine's slow worker drops nothing while the
 * tests check contents, and the number the drop test sees accepted.
 */
const QUEUE_TICKS = 64;

/** This clock stands apart from the recorder's, so the guard's clock checks are off here (tapGuard.test.ts has them). */
const guard = { maxAheadS: Infinity, maxBehindS: Infinity, senderTakeoverS: 0 };

describe("the recorder's Python module and rigwatch over real ZeroMQ sockets", () => {
  let recorder: RecorderProcess | undefined;
  let subscriber: TapSubscriber;
  let link: RecorderLink;
  let publish: string;
  const received: TapMessage[] = [];
  const notices: TapNotice[] = [];

  beforeEach(async () => {
    received.length = 0;
    notices.length = 0;
    rxNow = 0;
    publish = `tcp://127.0.0.1:${await freePort()}`;
    link = await RecorderLink.bind("tcp://127.0.0.1:*");
    recorder = await RecorderProcess.start(publish, link.endpoint as string, QUEUE_TICKS);
    subscriber = new TapSubscriber({ endpoint: publish, silentAfterS: 0.7, clock, guard });
    subscriber.messages$.subscribe(({ message }) => received.push(message));
    subscriber.notices$.subscribe((n) => notices.push(n));
    subscriber.start();
    await waitFor(() => received.some((m) => m.topic === "hello"), "the recorder's hello");
  });

  afterEach(async () => {
    await recorder?.kill().catch(() => undefined);
    await subscriber.close();
    await link.close();
  });

  it("says hello with the rig, then carries a take: start, ticks with hashes and thumbnails, ref_reset, end", async () => {
    const hello = received.find((m) => m.topic === "hello");
    expect(hello).toMatchObject({
      v: 1,
      dropped: 0,
      rig: {
        bodies: ["motherboard", "sensor_left", "sensor_right"],
        activeSensors: ["left", "right"],
        fps: 30,
        streams: [
          { name: "cam0", kind: "realsense", order: "BGR" },
          { name: "cam1", kind: "realsense", order: "BGR" },
          { name: "cam2", kind: "realsense", order: "BGR" },
          { name: "gel_left", kind: "gelsight", order: "RGB" },
          { name: "gel_right", kind: "gelsight", order: "RGB" },
        ],
      },
      recording: null,
    });
    await recorder!.send({
      op: "episode_start",
      path: "/data/t/d/episode_004.h5",
      episode: 4,
      active_bodies: ["sensor_left"],
    });
    // Paced like the recorder's loop (a burst would let the module drop ticks, by design).
    await recorder!.send({ op: "ticks", count: 6, fps: 30, stall: [] });
    await recorder!.send({ op: "ref_reset" });
    await recorder!.send({
      op: "episode_end",
      path: "/data/t/d/episode_004.h5",
      episode: 4,
      written: 6,
      dropped: 0,
    });
    await waitFor(() => received.some((m) => m.topic === "episode_end"), "episode_end");

    const take = received.filter((m) => m.topic !== "hello");
    expect(take.map((m) => m.topic)).toEqual([
      "episode_start",
      ...Array(6).fill("tick"),
      "ref_reset",
      "episode_end",
    ]);
    expect(take[0]).toMatchObject({
      episode: 4,
      path: "/data/t/d/episode_004.h5",
      activeBodies: ["sensor_left"],
    });
    expect(take[8]).toMatchObject({ episode: 4, framesWritten: 6, framesDropped: 0 });
    const ticks = take.filter((m): m is TickMessage => m.topic === "tick");
    expect(ticks.map((t) => t.frame)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(ticks.every((t) => t.episode === 4)).toBe(true);
    expect(ticks[0]!.streams.map((s) => s.name)).toEqual(["cam0", "cam1", "cam2", "gel_left", "gel_right"]);
    // Sequence numbers run on without a gap across every message, hellos included.
    const all = received.map((m) => m.seq);
    expect(all).toEqual(all.map((_, i) => all[0]! + i));
    expect(subscriber.status.lost).toBe(0);

    // The thumbnail is byte-identical to rigwatch's own (exact INTER_AREA) of the same full frame,
    // and the hash is the same for the same frame: the pool has 12 frames, cam0 of tick 0 = cam2 of tick 10.
    const pool0 = readPool0();
    expect(Buffer.from(ticks[0]!.streams[0]!.thumb).equals(Buffer.from(thumbnail(pool0, 480, 640)))).toBe(
      true,
    );
    expect(ticks[0]!.streams[0]!.hash).toMatch(/^crc32:[0-9a-f]{8}:921600$/);
    expect(ticks[1]!.streams[2]!.hash).not.toBe(ticks[0]!.streams[0]!.hash);
    expect(ticks[0]!.streams[1]!.hash).toBe(ticks[1]!.streams[0]!.hash);
  });

  it("hellos say which take is recording, so a daemon started mid-take can join it", async () => {
    await recorder!.send({ op: "episode_start", path: "/d/episode_002.h5", episode: 2 });
    const before = received.length;
    await waitFor(() => received.slice(before).some((m) => m.topic === "hello"), "a hello during the take");
    const hello = received.slice(before).find((m) => m.topic === "hello");
    expect(hello).toMatchObject({ recording: { episode: 2, path: "/d/episode_002.h5" } });
  });

  it("drops ticks instead of blocking when the worker falls behind, and says how many in every header", async () => {
    // The worker stops inside one tick: the queue fills from empty and tick() must drop the rest.
    // Were it to block, the burst would never answer while the worker is held.
    await recorder!.send({ op: "hold" });
    const burst = await recorder!.send<{ accepted: number; dropped: number }>({ op: "burst", count: 200 });
    expect(burst).toMatchObject({ accepted: QUEUE_TICKS, dropped: 200 - QUEUE_TICKS });
    await recorder!.send({ op: "release" });
    const ticks = () => received.filter((m): m is TickMessage => m.topic === "tick");
    await waitFor(() => ticks().length === 1 + QUEUE_TICKS, "the held tick and the queued ones");
    // Frame 0 is the held tick; every header, sent after the burst, carries the drop count.
    expect(ticks().map((t) => [t.frame, t.dropped])).toEqual(
      Array.from({ length: 1 + QUEUE_TICKS }, (_, frame) => [frame, 200 - QUEUE_TICKS]),
    );
  });

  it("hears rigwatch's alarms, its snapshot of raised alarms and the watchdog's stop for the current take", async () => {
    await recorder!.send({ op: "episode_start", path: "/d/episode_007.h5", episode: 7 });
    const raised = stampAlarm(
      {
        type: "alarm",
        id: "ot_loss:sensor_left:1",
        kind: "ot_loss",
        state: "raised",
        severity: "critical",
        subject: "sensor_left",
        t: 1,
        detail: {},
      },
      new Date(0),
    );
    const alarmsAtRecorder = async () =>
      (await recorder!.send<{ alarms: { id: string }[] }>({ op: "alarms" })).alarms;
    // PUB/SUB: a subscription takes a moment after connecting, so publish until it is heard.
    await waitForAsync(async () => {
      link.alarm(raised);
      return (await alarmsAtRecorder()).length === 1;
    }, "the alarm at the recorder");
    expect((await alarmsAtRecorder())[0]).toMatchObject({
      id: "ot_loss:sensor_left:1",
      kind: "ot_loss",
      subject: "sensor_left",
    });
    link.alarm({ ...raised, state: "cleared" });
    await waitForAsync(async () => (await alarmsAtRecorder()).length === 0, "the clear at the recorder");
    link.activeAlarms([{ ...raised, id: "watchdog:sensor_left:1", kind: "watchdog" }]);
    await waitForAsync(async () => (await alarmsAtRecorder()).length === 1, "the snapshot at the recorder");
    expect((await alarmsAtRecorder()).map((a) => a.id)).toEqual(["watchdog:sensor_left:1"]);

    link.stopTake(6, "not this take");
    link.stopTake(7, "no OT on sensor_left for 10 s");
    const stopAtRecorder = async () => (await recorder!.send<{ stop: object | null }>({ op: "stop" })).stop;
    await waitForAsync(async () => (await stopAtRecorder()) !== null, "the stop at the recorder");
    expect(await stopAtRecorder()).toEqual({
      command: "stop_take",
      episode: 7,
      reason: "no OT on sensor_left for 10 s",
    });
  });

  it("session_end and bye (close) reach rigwatch; a killed recorder is lost, a new one found as a restart", async () => {
    await recorder!.send({ op: "session_end" });
    await recorder!.send({ op: "close" });
    await waitFor(() => received.some((m) => m.topic === "bye"), "bye");
    expect(
      received.filter((m) => m.topic === "session_end" || m.topic === "bye").map((m) => m.topic),
    ).toEqual(["session_end", "bye"]);
    await recorder!.kill().catch(() => undefined);
    // Time passes for the subscriber only now: each look a second more, past its 0.7 s of silence.
    await waitFor(() => ((rxNow += 1), notices.some((n) => n.type === "lost")), "lost");
    const firstSender = subscriber.status.sender;
    recorder = await RecorderProcess.start(publish, link.endpoint as string, QUEUE_TICKS);
    await waitFor(() => notices.some((n) => n.type === "restarted"), "the restart");
    expect(notices.map((n) => n.type)).toEqual(["found", "lost", "restarted", "found"]);
    expect(subscriber.status.sender).not.toBe(firstSender);
    expect(subscriber.status.lost).toBe(0);
  });
});

/** The stand-in recorder's first pool frame (seed 7), rebuilt with NumPy. */
function readPool0(): Uint8Array {
  const hex = python(`import numpy as np
rng = np.random.default_rng(7)
print(rng.integers(0, 256, (480, 640, 3), dtype=np.uint8).tobytes().hex())`).trim();
  return new Uint8Array(Buffer.from(hex, "hex"));
}
