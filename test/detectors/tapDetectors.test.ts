import { from, lastValueFrom, toArray } from "rxjs";
import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../config/index.js";
import type { AlarmEvent } from "../../detectors/alarm.js";
import { liveAlarms } from "../../detectors/operators/liveAlarms.js";
import { StreamStaleTracker } from "../../detectors/live/StreamStaleTracker.js";
import { TakeGuard } from "../../detectors/live/TakeGuard.js";
import type { LiveInput, PoseSample } from "../../detectors/samples.js";

const brief = (events: readonly AlarmEvent[]) => events.map((e) => [e.state, e.kind, e.subject, round(e.t)]);
const round = (t: number) => Math.round(t * 1000) / 1000;

describe("StreamStaleTracker", () => {
  it("stays quiet on a GelSight whose frames repeat by design: re-sampled, and identical for seconds at rest", () => {
    const s = new StreamStaleTracker("gel_left", { staleS: 1, clearAfterS: 1, by: "presence" });
    const events: AlarmEvent[] = [];
    // 20 Hz on 30 Hz ticks for 10 s, then 20 s of one identical frame (nothing touches the gel).
    for (let k = 0; k < 900; k++)
      events.push(...s.push(k / 30, k, k < 300 ? `h${Math.floor((k * 20) / 30)}` : "rest"));
    expect(events).toEqual([]);
    // Judged on content, the same stream would have been called stale 1 s into the rest.
    const byContent = new StreamStaleTracker("gel_left", { staleS: 1, clearAfterS: 1, by: "content" });
    const raised: AlarmEvent[] = [];
    for (let k = 0; k < 900; k++)
      raised.push(...byContent.push(k / 30, k, k < 300 ? `h${Math.floor((k * 20) / 30)}` : "rest"));
    expect(raised.map((e) => [e.state, e.frame])).toEqual([["raised", 330]]);
  });

  it("raises when content stops for staleS, names a missing stream, and clears only after staleClearS of fresh content", () => {
    const s = new StreamStaleTracker("gel_right", { staleS: 1, clearAfterS: 1, by: "presence" });
    const events: AlarmEvent[] = [];
    for (let k = 0; k < 300; k++) {
      const unplugged = k >= 60 && k < 120; // 2 s without the stream
      events.push(...s.push(k / 30, k, unplugged ? undefined : `h${k}`));
    }
    // Last new content at tick 59 (1.967 s): stale from tick 89; fresh again at tick 120, clear 1 s later.
    expect(brief(events)).toEqual([
      ["raised", "stream_stale", "gel_right", 89 / 30].map((v) => (typeof v === "number" ? round(v) : v)),
      ["cleared", "stream_stale", "gel_right", round(150 / 30)],
    ]);
    expect(events[0]).toMatchObject({ frame: 89, severity: "critical", detail: { ageS: 1, missing: true } });
  });

  it("does not flap on a stream at the edge: one fresh frame inside a stale spell does not clear it", () => {
    const s = new StreamStaleTracker("cam1", { staleS: 0.5, clearAfterS: 1, by: "content" });
    const events: AlarmEvent[] = [];
    // 32 ticks a second (exact binary times): frozen for 1 s, one new frame, frozen 1 s, then live.
    const fresh = (k: number) => k < 32 || k === 64 || k >= 96;
    let n = 0;
    for (let k = 0; k < 160; k++) events.push(...s.push(k / 32, k, fresh(k) ? `h${++n}` : `h${n}`));
    // Stale 0.5 s after frame 31; frame 64 starts a good spell that ends stale again at 80; the clear
    // needs the whole second of fresh content from frame 96.
    expect(events.map((e) => [e.state, e.frame])).toEqual([
      ["raised", 47],
      ["cleared", 128],
    ]);
  });
});

const pose = (body: string, t: number, valid = true): PoseSample => ({
  body,
  t,
  rx: t,
  position: [0, 0, 0],
  quaternion: [0, 0, 0, 1],
  valid,
});

describe("TakeGuard", () => {
  const config = { startGateS: 2, watchdogS: 10 };

  it("start gate: a body with no valid sample in the last 2 s at take start is critical until it tracks", () => {
    const g = new TakeGuard(config);
    g.onSample(pose("motherboard", 98.5));
    g.onSample(pose("sensor_left", 95.9));
    g.onSample(pose("sensor_left", 97.9, false)); // invalid samples do not count
    const start = g.onStart(100, 1, ["motherboard", "sensor_left", "sensor_right"], true);
    expect(start.map((e) => [e.kind, e.subject, e.detail.lastValidAgoS])).toEqual([
      ["start_gate", "sensor_left", 4.1],
      ["start_gate", "sensor_right", null],
    ]);
    expect(start.every((e) => e.severity === "critical")).toBe(true);
    expect(brief(g.onSample(pose("sensor_left", 100.4)))).toEqual([
      ["cleared", "start_gate", "sensor_left", 100.4],
    ]);
  });

  it("start gate is not judged when the source saw nothing before the take (replay, a daemon joining late)", () => {
    const g = new TakeGuard(config);
    expect(g.onStart(100, 1, ["motherboard"], false)).toEqual([]);
  });

  it("watchdog: 10 s without a valid sample during a take asks to stop; a take's end clears it", () => {
    const g = new TakeGuard(config);
    g.onSample(pose("sensor_left", 99.9));
    g.onStart(100, 2, ["sensor_left"], true);
    g.onSample(pose("sensor_left", 101));
    expect(g.onClock(110.99)).toEqual([]);
    const raised = g.onClock(111);
    expect(raised).toEqual([
      {
        type: "alarm",
        id: "watchdog:sensor_left:1",
        kind: "watchdog",
        state: "raised",
        severity: "critical",
        subject: "sensor_left",
        t: 111,
        detail: { episode: 2, silentS: 10, action: "stop_take" },
      },
    ]);
    expect(g.onClock(112)).toEqual([]);
    expect(brief(g.onEnd(111.2))).toEqual([["cleared", "watchdog", "sensor_left", 111.2]]);
    expect(g.onClock(130)).toEqual([]); // no take, no watchdog
  });

  it("watchdog counts silence from the take's start for a body never seen", () => {
    const g = new TakeGuard(config);
    g.onStart(50, 0, ["sensor_right"], false);
    expect(g.onClock(59.9)).toEqual([]);
    expect(brief(g.onClock(60))).toEqual([["raised", "watchdog", "sensor_right", 60]]);
  });
});

describe("liveAlarms on tap ticks", () => {
  const config = defaultConfig();
  const run = async (inputs: LiveInput[]) =>
    lastValueFrom(from(inputs).pipe(liveAlarms(config, 30), toArray()));
  const cams = (k: number, frozen: readonly string[]) =>
    Object.fromEntries(
      ["cam0", "cam1", "cam2"].map((c) => [c, { hash: frozen.includes(c) ? `${c}-still` : `${c}-${k}` }]),
    );

  it("a pipeline stall is one alarm, not a stale alarm per camera as well", async () => {
    const inputs: LiveInput[] = [{ type: "episode_start", t: 0, episode: 0 }];
    for (let k = 0; k < 150; k++) {
      const stalled = k >= 60 && k < 90;
      inputs.push({
        type: "tick",
        tick: { frame: k, t: k / 30, streams: cams(k, stalled ? ["cam0", "cam1", "cam2"] : []) },
      });
    }
    const kinds = (await run(inputs)).filter((e) => e.state === "raised").map((e) => [e.kind, e.subject]);
    expect(kinds).toEqual([["pipeline_stall", "realsense"]]);
  });

  it("one frozen camera is a stale stream, not a pipeline stall", async () => {
    const inputs: LiveInput[] = [{ type: "episode_start", t: 0, episode: 0 }];
    for (let k = 0; k < 150; k++)
      inputs.push({
        type: "tick",
        tick: { frame: k, t: k / 30, streams: cams(k, k >= 60 && k < 90 ? ["cam1"] : []) },
      });
    const raised = (await run(inputs)).filter((e) => e.state === "raised");
    expect(raised.map((e) => [e.kind, e.subject, e.frame])).toEqual([["stream_stale", "cam1", 75]]);
  });

  it("the tap's loss and return are a critical stale alarm on the source", async () => {
    const events = await run([
      { type: "source", source: "tap", state: "lost", t: 5 },
      { type: "source", source: "tap", state: "lost", t: 5.5 },
      { type: "source", source: "tap", state: "found", t: 9 },
    ]);
    expect(events.map((e) => [e.state, e.kind, e.subject, e.severity, e.t])).toEqual([
      ["raised", "stream_stale", "tap", "critical", 5],
      ["cleared", "stream_stale", "tap", "critical", 9],
    ]);
  });

  it("a take's active bodies come from the recorder; the gate and watchdog run on them", async () => {
    const events = await run([
      { type: "pose", sample: pose("motherboard", 9.5) },
      {
        type: "episode_start",
        t: 10,
        episode: 5,
        activeBodies: ["motherboard", "sensor_left"],
        gate: true,
      },
      { type: "pose", sample: pose("motherboard", 12) },
      { type: "clock", t: 20 },
    ]);
    expect(events.filter((e) => e.state === "raised").map((e) => [e.kind, e.subject, e.t])).toEqual([
      ["start_gate", "sensor_left", 10],
      ["ot_loss", "motherboard", 12], // the same pose as at 9.5 s: held across the take's start
      ["ot_loss", "sensor_left", 20],
      ["watchdog", "sensor_left", 20],
    ]);
  });
});
