import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Publisher } from "zeromq";
import { encodeTapMessage } from "../../hw/tap/encodeTapMessage.js";
import type { TapMessage } from "../../hw/tap/protocol.js";
import { generateEpisode } from "../../sim/episode/generate.js";
import { presetSession } from "../../sim/episode/presets.js";
import { tempDir } from "../helpers/paths.js";
import { type MotiveSimulator, startSimulator } from "../../sim/motive/index.js";
import { freePort } from "../helpers/freePort.js";
import { waitFor } from "../helpers/waitFor.js";
import { RecorderProcess } from "../tap/RecorderProcess.js";
import { DaemonProcess } from "./DaemonProcess.js";

/**
 * The whole live path on real sockets: the simulated Motive (UDP) and the recorder's Python module
 * (ZeroMQ) on one side, `rigwatch run` as a process on the other, observed on stdout and /ws.
 */
/**
 * The stand-in recorder's tick queue: 30 s of ticks. On a busy machine its worker may fall behind; these
 * tests are about the daemon, not the module's drop policy (test/tap), so no tick is dropped.
 */
const QUEUE_TICKS = 900;

describe("rigwatch run with the recorder tap", () => {
  let motive: MotiveSimulator | undefined;
  let recorder: RecorderProcess | undefined;
  const daemons: DaemonProcess[] = [];

  afterEach(async () => {
    await recorder?.kill().catch(() => undefined);
    for (const d of daemons.splice(0)) await d.stop("SIGKILL");
    await motive?.close();
    // A test without them must not stop the previous test's again (a dead process never exits twice).
    recorder = undefined;
    motive = undefined;
  });

  const endpoints = async () => ({
    tap: `tcp://127.0.0.1:${await freePort()}`,
    alarms: `tcp://127.0.0.1:${await freePort()}`,
  });
  /**
   * Motive and the recorder run beside a busy test process: a pause of it must not read as their
   * silence. OT counts as lost after 1 s without a sample (not 0.1 s), the tap after 30 s unless a
   * test is about losing it.
   */
  const daemonArgs = (e: { tap: string; alarms: string }, extra: string[] = [], tapSilentAfterS = 30) => [
    "--natnet-command-port",
    String(motive?.port),
    "--tap",
    e.tap,
    "--tap-alarms",
    e.alarms,
    "--set",
    `tap.silentAfterS=${tapSilentAfterS}`,
    "--set",
    "detect.otGapS=1",
    ...extra,
  ];

  it("start gate, watchdog stop obeyed by the recorder, take lifecycle on /ws, camera and GelSight alarms", async () => {
    // Motive goes silent once the daemon tracks its bodies, for as long as the test needs: a take
    // started in the silence fails the gate; 2 s in, the watchdog bites.
    motive = await startSimulator({ commandPort: 0, rateHz: 120 });
    const e = await endpoints();
    recorder = await RecorderProcess.start(e.tap, e.alarms, QUEUE_TICKS);
    const daemon = await DaemonProcess.start(daemonArgs(e, ["--set", "live.watchdogS=2"]));
    daemons.push(daemon);
    await waitFor(() => daemon.logs.some((l) => l.msg === "recorder tap found"), "the tap");
    await waitFor(
      () => Object.keys((daemon.latest("health")?.bodies as object | undefined) ?? {}).length === 3,
      "the three bodies tracked",
    );
    const endSilence = motive.hold("silence");
    await waitFor(() => daemon.raised("ot_loss").length === 3, "Motive's silence");
    // The gate wants OT older than 2 s when the take starts: wait until the daemon itself says so.
    const ages = () =>
      Object.values((daemon.latest("health")?.bodies ?? {}) as Record<string, { ageS: number }>).map(
        (b) => b.ageS,
      );
    await waitFor(() => ages().length === 3 && ages().every((age) => age >= 2.5), "OT older than the gate");

    await recorder.send({ op: "episode_start", path: "/data/t/d/episode_000.h5", episode: 0 });
    await waitFor(() => daemon.raised("start_gate").length === 3, "the start gate");
    expect(daemon.raised("start_gate").map((a) => [a.subject, a.severity])).toEqual([
      ["motherboard", "critical"],
      ["sensor_left", "critical"],
      ["sensor_right", "critical"],
    ]);
    await waitFor(() => daemon.latest("take")?.state === "take", "the take on /ws");
    expect(daemon.latest("take")).toMatchObject({
      type: "take",
      state: "take",
      episode: 0,
      path: "/data/t/d/episode_000.h5",
    });

    // The recorder ticks on while Motive stays silent: the watchdog asks it to stop (2 s of ticks in;
    // the daemon may be slow to say so, hence up to 20 s of them).
    let stop: { stop: object | null } = { stop: null };
    for (let i = 0; i < 40 && stop.stop === null; i++) {
      await recorder.send({ op: "ticks", count: 15, fps: 30, continue: i > 0 });
      stop = await recorder.send({ op: "stop" });
    }
    expect(daemon.raised("watchdog").map((a) => a.subject)).toEqual([
      "motherboard",
      "sensor_left",
      "sensor_right",
    ]);
    expect(daemon.raised("watchdog")[0]).toMatchObject({
      detail: { episode: 0, action: "stop_take" },
    });
    expect(stop.stop).toMatchObject({ command: "stop_take", episode: 0 });
    expect(
      (await recorder.send<{ alarms: { kind: string }[] }>({ op: "alarms" })).alarms.map((a) => a.kind),
    ).toContain("watchdog");

    await recorder.send({
      op: "episode_end",
      path: "/data/t/d/episode_000.h5",
      episode: 0,
      written: 60,
      dropped: 0,
    });
    await waitFor(() => daemon.cleared("watchdog").length === 3, "the watchdog cleared by the take's end");
    await waitFor(() => daemon.messages.some((m) => m.type === "lifecycle"), "the lifecycle event");
    expect(daemon.messages.find((m) => m.type === "lifecycle")).toEqual({
      type: "lifecycle",
      event: {
        type: "episode_closed",
        episode: 0,
        path: "/data/t/d/episode_000.h5",
        framesWritten: 60,
        framesDropped: 0,
        interrupted: false,
      },
    });
    expect(daemon.latest("take")).toMatchObject({ state: "between", episode: 0, framesWritten: 60 });

    // A second take with Motive back: cameras stall for 1 s, the left gel flickers once, the right gel is unplugged.
    endSilence();
    await waitFor(() => daemon.cleared("ot_loss").length === 3, "Motive back");
    await recorder.send({ op: "episode_start", path: "/data/t/d/episode_001.h5", episode: 1 });
    await recorder.send({ op: "ticks", count: 45, fps: 30 });
    await recorder.send({ op: "ticks", count: 30, fps: 30, stall: ["cam0", "cam1", "cam2"], continue: true });
    await recorder.send({
      op: "ticks",
      count: 45,
      fps: 30,
      continue: true,
      flicker: "left",
      flicker_at: 20,
      unplug: ["gel_right"],
    });
    await waitFor(() => daemon.raised("stream_stale", "gel_right").length === 1, "the unplugged gel");
    expect(daemon.raised("pipeline_stall").map((a) => a.subject)).toEqual(["realsense"]);
    expect(daemon.raised("intensity_spike").map((a) => [a.subject, a.frame])).toEqual([["gel_left", 95]]);
    // The stall is one alarm: no camera goes stale on its own.
    expect(daemon.raised("stream_stale").map((a) => a.subject)).toEqual(["gel_right"]);
    expect(daemon.raised("start_gate")).toHaveLength(3); // Motive streamed before this take
    const streams = daemon.latest("streams") as {
      tap: { state: string };
      streams: Record<string, { tickHz: number }>;
    };
    expect(streams.tap.state).toBe("connected");
    expect(Object.keys(streams.streams).sort()).toEqual(["cam0", "cam1", "cam2", "gel_left", "gel_right"]);
  }, 90_000);

  it("a recorder killed mid-take is lost, found again as a restart, and its take closed as interrupted", async () => {
    motive = await startSimulator({ commandPort: 0, rateHz: 120 });
    const e = await endpoints();
    recorder = await RecorderProcess.start(e.tap, e.alarms, QUEUE_TICKS);
    const daemon = await DaemonProcess.start(daemonArgs(e, [], 3));
    daemons.push(daemon);
    await waitFor(() => daemon.logs.some((l) => l.msg === "recorder tap found"), "the tap");
    await recorder.send({ op: "episode_start", path: "/d/episode_003.h5", episode: 3 });
    await recorder.send({ op: "ticks", count: 30, fps: 30 });
    await recorder.kill();
    await waitFor(() => daemon.raised("stream_stale", "tap").length === 1, "the tap lost");
    expect(daemon.latest("take")).toMatchObject({ state: "take", episode: 3 });

    recorder = await RecorderProcess.start(e.tap, e.alarms, QUEUE_TICKS);
    await waitFor(() => daemon.cleared("stream_stale", "tap").length === 1, "the tap found");
    await waitFor(() => daemon.logs.filter((l) => l.msg === "recorder tap found").length === 2, "the log");
    await waitFor(() => daemon.messages.some((m) => m.type === "lifecycle"), "the interrupted take");
    expect(daemon.messages.find((m) => m.type === "lifecycle")).toEqual({
      type: "lifecycle",
      event: {
        type: "episode_closed",
        episode: 3,
        path: "/d/episode_003.h5",
        framesWritten: null,
        framesDropped: null,
        interrupted: true,
      },
    });
    expect(daemon.logs.filter((l) => String(l.msg).startsWith("recorder tap")).map((l) => l.msg)).toEqual([
      "recorder tap found",
      "recorder tap lost",
      "recorder tap restarted",
      "recorder tap found",
    ]);
    expect(daemon.latest("take")).toMatchObject({ state: "between" });
  }, 60_000);

  it("a daemon killed mid-take and restarted joins the take and keeps watching it", async () => {
    motive = await startSimulator({ commandPort: 0, rateHz: 120 });
    const e = await endpoints();
    recorder = await RecorderProcess.start(e.tap, e.alarms, QUEUE_TICKS);
    const first = await DaemonProcess.start(daemonArgs(e));
    daemons.push(first);
    await waitFor(() => first.logs.some((l) => l.msg === "recorder tap found"), "the tap");
    await recorder.send({ op: "episode_start", path: "/d/episode_005.h5", episode: 5 });
    await waitFor(() => first.latest("take")?.state === "take", "the take");
    await first.stop("SIGKILL");

    const second = await DaemonProcess.start(daemonArgs(e));
    daemons.push(second);
    await waitFor(() => second.latest("take")?.state === "take", "the take joined");
    expect(second.latest("take")).toMatchObject({ state: "take", episode: 5, path: "/d/episode_005.h5" });
    // Joined without a gate (it saw no OT before the take), and watching: a stall is still caught.
    await recorder.send({ op: "ticks", count: 45, fps: 30 });
    await recorder.send({ op: "ticks", count: 30, fps: 30, stall: ["cam0", "cam1", "cam2"], continue: true });
    await waitFor(() => second.raised("pipeline_stall").length === 1, "the stall");
    expect(second.raised("start_gate")).toEqual([]);
    await recorder.send({
      op: "episode_end",
      path: "/d/episode_005.h5",
      episode: 5,
      written: 75,
      dropped: 0,
    });
    await waitFor(() => second.messages.some((m) => m.type === "lifecycle"), "the end");
    expect(second.messages.find((m) => m.type === "lifecycle")).toMatchObject({
      event: { type: "episode_closed", episode: 5, interrupted: false, framesWritten: 75 },
    });
  }, 60_000);

  it("runs a closed take's stages at once and the session's reports, previews and tasks.json at its close, holding during takes", async () => {
    const dir = tempDir();
    const session = presetSession("clean", { seed: 3, seconds: 3 });
    const path = join(dir.path, "data", session.task, session.date, "episode_000.h5");
    await generateEpisode(session.episodes[0] as never, path);
    motive = await startSimulator({ commandPort: 0, rateHz: 120 });
    const e = await endpoints();
    recorder = await RecorderProcess.start(e.tap, e.alarms, QUEUE_TICKS);
    const daemon = await DaemonProcess.start(
      daemonArgs(e, ["--set", `stages.dataRoots=${dir.path}`, "--set", "stages.settleS=0"]),
    );
    daemons.push(daemon);
    await waitFor(() => daemon.logs.some((l) => l.msg === "recorder tap found"), "the tap");
    const progress = () => daemon.messages.filter((m) => m.type === "progress");
    const has = (episode: number | null, stage: string, state: string) =>
      progress().some((m) => m.episode === episode && m.stage === stage && m.state === state);

    // A take event naming a file that is not a recording of the data root: refused, nothing renamed or made.
    const notes = join(dir.path, "notes.txt");
    writeFileSync(notes, "the operator's notes");
    await recorder.send({ op: "episode_start", path: notes, episode: 7 });
    await recorder.send({ op: "episode_end", path: notes, episode: 7, written: 1, dropped: 0 });
    await waitFor(() => daemon.raised("stage_refused").length === 1, "the refusal", 10_000);
    expect(daemon.raised("stage_refused")[0]).toMatchObject({
      subject: "stages",
      detail: { path: notes, reason: "not_an_episode" },
    });
    // The log line is written before the alarm, but stderr and /ws are read apart: wait for it.
    await waitFor(
      () => daemon.logs.some((l) => String(l.msg).startsWith("stages input refused")),
      "the refusal's log line",
      5000,
    );
    await waitFor(() => daemon.latest("rejected") !== undefined, "the refusal's count on /ws", 5000);
    expect(daemon.latest("rejected")).toEqual({
      type: "rejected",
      sources: { stages: { total: 1, byReason: { not_an_episode: 1 } } },
    });
    expect(readdirSync(dir.path).sort()).toEqual(["data", "notes.txt"]);
    expect(readFileSync(notes, "utf8")).toBe("the operator's notes");

    await recorder.send({ op: "episode_start", path, episode: 0 });
    await recorder.send({ op: "episode_end", path, episode: 0, written: 90, dropped: 0 });
    // The chain's stages are heavy: each wait below is bounded only by the test's timeout.
    const STAGE = 240_000;
    await waitFor(() => has(0, "check", "done"), "the take's check", STAGE);
    expect(daemon.cleared("stage_refused")).toHaveLength(1);
    // The next take starts: the analysis pass holds (it is heavy) until that take ends.
    await recorder.send({ op: "episode_start", path: join(dir.path, "elsewhere.h5"), episode: 1 });
    await waitFor(
      () => has(0, "analyse", "paused") || has(0, "analyse", "running"),
      "the analysis pass",
      STAGE,
    );
    const heldDuringTake = has(0, "analyse", "paused");
    await recorder.send({
      op: "episode_end",
      path: join(dir.path, "elsewhere.h5"),
      episode: 1,
      written: 1,
      dropped: 0,
    });
    await waitFor(() => has(0, "compress", "done"), "the take's compress", STAGE);
    // The rest waits for the session's close: its active sensors come from all its takes.
    expect(has(0, "index", "running")).toBe(false);
    expect(has(null, "detect", "running")).toBe(false);

    await recorder.send({ op: "session_end" });
    await waitFor(() => has(0, "index", "done"), "the take's index", STAGE);
    await waitFor(() => has(null, "detect", "done"), "the session's reports", STAGE);
    // Then the take's previews and the session's tasks.json, the chain's last stage.
    await waitFor(() => has(null, "metadata", "done"), "the session's tasks.json", STAGE);
    expect(has(0, "previews", "done")).toBe(true);
    expect(
      existsSync(join(dir.path, "processed/contact", session.task, session.date, "episode_000.pt")),
    ).toBe(true);
    expect(existsSync(join(dir.path, "figures/dataset_figures/bad_frames.json"))).toBe(true);
    expect(
      existsSync(join(dir.path, "figures/episode_previews", session.task, session.date, "episode_000.gif")),
    ).toBe(true);
    expect(existsSync(join(dir.path, "tasks.json"))).toBe(true);
    expect(
      daemon.messages.filter((m) => m.type === "lifecycle").map((m) => (m.event as { type: string }).type),
    ).toEqual(["episode_closed", "episode_closed", "episode_closed", "session_closed"]);
    // Whether the pass was still waiting when the second take began depends on timing; when it was, it held.
    if (heldDuringTake) expect(has(0, "analyse", "running")).toBe(true);
    dir.cleanup();
  }, 300_000);

  it("hostile tap messages are refused and counted on /ws, logged at a bounded rate; a tick from the future orders no stop", async () => {
    motive = await startSimulator({ commandPort: 0, rateHz: 120 });
    const e = await endpoints();
    // The test is the recorder: its own PUB socket on the tap endpoint.
    const pub = new Publisher({ linger: 0 });
    await pub.bind(e.tap);
    const daemon = await DaemonProcess.start(
      daemonArgs(e, ["--set", "live.watchdogS=0.5", "--set", "tap.maxAheadS=0.25"]),
    );
    daemons.push(daemon);
    let seq = 0;
    const env = () => ({ v: 1, sender: "rec1", seq: seq++, t: Date.now() / 1000, dropped: 0 });
    const rig = {
      streams: [],
      bodies: ["motherboard", "sensor_left", "sensor_right"],
      activeSensors: ["left", "right"],
      fps: 30,
    };
    try {
      // ZeroMQ drops what is sent before the daemon's subscription arrives: say hello until heard.
      while (!daemon.logs.some((l) => l.msg === "recorder tap found")) {
        await pub.send(encodeTapMessage({ topic: "hello", ...env(), rig, recording: null }));
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await waitFor(
        () => (daemon.latest("natnet")?.status as { state?: string } | undefined)?.state === "connected",
        "Motive",
        10_000,
      );
      await pub.send(
        encodeTapMessage({
          topic: "episode_start",
          ...env(),
          episode: 0,
          path: "/d/episode_000.h5",
          ts: Date.now() / 1000,
        }),
      );
      await waitFor(() => daemon.latest("take")?.state === "take", "the take", 5000);
      const tick = (ts: number): TapMessage => ({
        topic: "tick",
        ...env(),
        frame: seq,
        ts,
        episode: 0,
        streams: [],
      });
      // One tick a million seconds ahead (it would move the live clock past every body's last sample), a flood of malformed ones (fewer than ZeroMQ's high-water mark).
      const future = tick(Date.now() / 1000 + 1e6);
      seq--; // refused: its number is the next one's
      await pub.send(encodeTapMessage(future));
      for (let i = 0; i < 500; i++) await pub.send([Buffer.from("tick"), Buffer.from("{not json")]);
      // Five honest ticks, stamped (as a camera does) just before they are sent.
      const now = Date.now() / 1000;
      for (let i = 0; i < 5; i++) await pub.send(encodeTapMessage(tick(now - 0.05 + i * 0.01)));
      await waitFor(
        () =>
          (daemon.latest("rejected")?.sources as { tap?: { total: number } } | undefined)?.tap?.total === 501,
        "the refusals on /ws",
        10_000,
      );
      expect(daemon.latest("rejected")).toEqual({
        type: "rejected",
        sources: { tap: { total: 501, byReason: { time: 1, malformed: 500 } } },
      });
      // Every tick after the refused ones was taken, in order: none of them saw a clock from the future.
      expect(daemon.raised("watchdog")).toEqual([]);
      expect(daemon.raised("ot_loss")).toEqual([]);
      const lines = daemon.logs.filter((l) => String(l.msg).includes("tap input"));
      expect(lines.length).toBeLessThanOrEqual(2);
      expect(String(lines[0]?.msg)).toMatch(/^tap input refused: tap message "tick" from rec1: ts \d/);
      expect(daemon.latest("take")).toMatchObject({ state: "take", episode: 0 });
    } finally {
      pub.close();
    }
  }, 60_000);
});
