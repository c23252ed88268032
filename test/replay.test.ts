import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lastValueFrom, tap, toArray } from "rxjs";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { defaultConfig } from "../config/index.js";
import { EpisodeReader, replayEpisode } from "../hw/h5/index.js";
import { FAULTED_EPISODE, PROJECT_ROOT, RECORDER_FIXTURES, recorderEpisode } from "./helpers/paths.js";

const CLI = join(PROJECT_ROOT, "dist/cli/cli.js");

describe("rigwatch replay", () => {
  const run = spawnSync(process.execPath, [CLI, "replay", FAULTED_EPISODE, "--json"], { encoding: "utf8" });
  const lines = run.stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line));
  const alarms = lines.filter((l) => l.type === "alarm");
  let timestamps: Float64Array = new Float64Array(0);
  beforeAll(async () => {
    const reader = await EpisodeReader.open(FAULTED_EPISODE);
    timestamps = reader.timestamps();
    reader.close();
  });

  it("prints every alarm as one JSON line in the shape of DESIGN.md", () => {
    expect([run.status, run.stderr]).toEqual([0, ""]);
    for (const alarm of alarms) {
      expect(Object.keys(alarm).sort()).toEqual(
        [
          "at",
          "detail",
          "id",
          "kind",
          "severity",
          "state",
          "subject",
          "t",
          "type",
          ...("frame" in alarm ? ["frame"] : []),
        ].sort(),
      );
      expect(new Date(alarm.at).toISOString()).toBe(alarm.at);
    }
    expect(alarms.map((a) => [a.kind, a.subject, a.state, a.severity])).toEqual([
      ["intensity_spike", "gel_left", "raised", "warning"],
      ["intensity_spike", "gel_left", "cleared", "warning"],
      ["teleport", "sensor_left", "raised", "warning"],
      ["teleport", "sensor_left", "cleared", "warning"],
      ["ot_loss", "sensor_right", "raised", "critical"],
      ["ot_loss", "sensor_right", "cleared", "critical"],
      // The hold: the scene's thumbnails move too little to say (rule 3 so far), so a warning until
      // the re-acquisition jump at its end shows the loss (rule 2), as the offline diagnosis decides it.
      ["held", "sensor_left", "raised", "warning"],
      ["ot_loss", "sensor_left", "raised", "critical"],
      ["held", "sensor_left", "cleared", "warning"],
      ["ot_loss", "sensor_left", "cleared", "critical"],
      ["teleport", "sensor_left", "raised", "warning"],
      ["teleport", "sensor_left", "cleared", "warning"],
    ]);
  });

  it("raises each alarm on the fault's first frame or within the live rule's delay", () => {
    const raised = alarms.filter((a) => a.state === "raised");
    // Spike: the flicker frame itself. Teleports: the frame owning the jump. OT silence: 0.1 s after the
    // last sample (gap starts at 87). Held pose: a warning 0.25 s after the value first appeared (held
    // from 157), critical at the release (the first sample of frame 223).
    expect(
      raised.map((a) => [a.kind, a.frame ?? null, a.detail.reason ?? null, a.detail.rule ?? null]),
    ).toEqual([
      ["intensity_spike", 31, null, null],
      ["teleport", null, null, null],
      ["ot_loss", null, "silence", null],
      ["held", null, null, null],
      ["ot_loss", null, "held", 2],
      ["teleport", null, null, null],
    ]);
    const frameOf = (t: number) => timestamps.findIndex((ts) => ts >= t);
    expect(frameOf(raised[3].t)).toBe(164);
    expect(raised[3].detail.heldS).toBeGreaterThanOrEqual(0.25);
    expect(frameOf(raised[4].t)).toBe(223);
    expect(raised[4].detail).toMatchObject({ released: true, verdict: "ot_loss" });
    expect(raised[4].detail.transVelMps).toBeGreaterThanOrEqual(5);
    // The silence is noticed by the camera tick of frame 90, the first ≥ 0.1 s after the last sample.
    expect(raised[2].t).toBe(timestamps[90]);
    expect(raised[2].detail.silentS).toBeGreaterThanOrEqual(0.1);
    expect(timestamps[89] as number).toBeLessThan(
      (raised[2].t as number) - (raised[2].detail.silentS as number) + 0.1,
    );
  });

  it("ends with how live compares with offline: everything caught, nothing extra", () => {
    const comparison = lines.filter((l) => l.type === "comparison");
    expect(
      comparison.map((c) => [
        c.list,
        c.offlineEvents,
        c.caught,
        c.caughtCritical,
        c.liveOnly,
        c.liveOnlyCritical,
      ]),
    ).toEqual([
      ["intensity_spikes", 1, 1, 0, 0, 0],
      ["pose_teleports_L", 2, 2, 0, 0, 0],
      ["pose_teleports_R", 0, 0, 0, 0, 0],
      ["ot_loss_L", 1, 1, 1, 0, 0],
      ["ot_loss_R", 1, 1, 1, 0, 0],
      ["pipeline_stall", 0, 0, 0, 0, 0],
    ]);
    // Frames from the event's first frame: the hold's warning 7 frames in, its critical at the release.
    const otLossL = comparison.find((c) => c.list === "ot_loss_L");
    expect([otLossL.latencyFramesMedian, otLossL.criticalLatencyFramesMedian]).toEqual([7, 66]);
  });

  it("and with the alarm-management figures of the take, per kind and in all", () => {
    const figures = lines.filter((l) => l.type === "alarm_figures");
    const durationS = (timestamps[timestamps.length - 1] as number) - (timestamps[0] as number);
    const per10 = (n: number) => Math.round(((n * 600) / durationS) * 10) / 10;
    expect(figures).toEqual([
      {
        type: "alarm_figures",
        kind: "ot_loss",
        raised: 2,
        critical: 2,
        per10Min: per10(2),
        criticalPer10Min: per10(2),
        chattering: 0,
        standing: 0,
      },
      {
        type: "alarm_figures",
        kind: "held",
        raised: 1,
        critical: 0,
        per10Min: per10(1),
        criticalPer10Min: 0,
        chattering: 0,
        standing: 0,
      },
      {
        type: "alarm_figures",
        kind: "teleport",
        raised: 2,
        critical: 0,
        per10Min: per10(2),
        criticalPer10Min: 0,
        chattering: 0,
        standing: 0,
      },
      {
        type: "alarm_figures",
        kind: "intensity_spike",
        raised: 1,
        critical: 0,
        per10Min: per10(1),
        criticalPer10Min: 0,
        chattering: 0,
        standing: 0,
      },
      {
        type: "alarm_figures",
        kind: "all",
        raised: 6,
        critical: 2,
        per10Min: per10(6),
        criticalPer10Min: per10(2),
        chattering: 0,
        standing: 0,
        floods: 0,
        floodS: 0,
        peakPer10Min: 6,
      },
    ]);
  });

  it("takes the session's declared active sensors from tasks.json: an unused side's OT loss is a warning, and offline ignores it", () => {
    const root = mkdtempSync(join(tmpdir(), "rigwatch-replay-"));
    try {
      const session = join(root, "data", "motherboard", "2026-05-31");
      mkdirSync(session, { recursive: true });
      symlinkSync(FAULTED_EPISODE, join(session, "episode_000.h5"));
      writeFileSync(
        join(root, "tasks.json"),
        JSON.stringify({ per_date_notes: { "2026-05-31": { active_sensors: ["left"] } } }),
      );
      const declared = spawnSync(
        process.execPath,
        [CLI, "replay", join(session, "episode_000.h5"), "--json"],
        {
          encoding: "utf8",
        },
      );
      const out = declared.stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line));
      const right = out.filter((l) => l.type === "alarm" && l.subject === "sensor_right");
      expect(right.map((a) => [a.kind, a.state, a.severity])).toEqual([
        ["ot_loss", "raised", "warning"],
        ["ot_loss", "cleared", "warning"],
      ]);
      const otLossR = out.find((l) => l.type === "comparison" && l.list === "ot_loss_R");
      expect([otLossR.offlineEvents, otLossR.liveOnly, otLossR.liveOnlyCritical]).toEqual([0, 1, 0]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("replay source", () => {
  const blosc = recorderEpisode("blosc");

  it("emits start, samples and ticks in source-time order, then end", async () => {
    const items = await lastValueFrom(
      replayEpisode(blosc, { speed: "max", invalidQuatNorm: 0.5 }).pipe(toArray()),
    );
    expect(items[0]?.type).toBe("episode_start");
    expect(items[items.length - 1]).toMatchObject({
      type: "episode_end",
      framesWritten: 60,
      framesDropped: 0,
    });
    const times = items.map((i) => (i.type === "pose" ? i.sample.t : i.type === "tick" ? i.tick.t : i.t));
    expect(times.every((t, k) => k === 0 || t >= (times[k - 1] as number))).toBe(true);
    expect(items.filter((i) => i.type === "tick")).toHaveLength(60);
    expect(items.filter((i) => i.type === "pose")).toHaveLength(726);
    const tick = items.find((i) => i.type === "tick");
    expect(tick?.type === "tick" && Object.keys(tick.tick.streams)).toEqual([
      "cam0",
      "cam1",
      "cam2",
      "gel_left",
      "gel_right",
    ]);
    expect(tick?.type === "tick" && tick.tick.streams.gel_left?.thumb?.length).toBe(128 * 128 * 3);
  });

  it("paces a replay at the requested speed: at 4×, each tick a quarter of its source time after the start", async () => {
    // Virtual time: the replay's clock and timers are the test's, advanced 1 ms at a time (with a turn
    // of the event loop each, for the file's reads), so the pace is exact whatever the machine's load.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
    try {
      const start = performance.now();
      const ticks: { at: number; t: number }[] = [];
      let t0 = Number.NaN;
      let done = false;
      const replay = lastValueFrom(
        replayEpisode(blosc, { speed: 4, invalidQuatNorm: defaultConfig().detect.invalidQuatNorm }).pipe(
          tap((i) => {
            if (i.type === "episode_start") t0 = i.t;
            if (i.type === "tick") ticks.push({ at: performance.now() - start, t: i.tick.t });
          }),
          toArray(),
        ),
      ).finally(() => (done = true));
      while (!done) {
        await vi.advanceTimersByTimeAsync(1);
        await new Promise((resolve) => setImmediate(resolve));
      }
      await replay;
      expect(ticks).toHaveLength(60);
      // Due at (t − t0) / 4; a wait under 1 ms is not taken and the clock moves in 1 ms steps.
      for (const { at, t } of ticks) expect(Math.abs(at - ((t - t0) * 1000) / 4)).toBeLessThanOrEqual(1);
      expect(ticks.at(-1)?.at).toBeGreaterThan(450); // a 2 s take
    } finally {
      vi.useRealTimers();
    }
  });

  it("errors with the typed episode error for a bad file", async () => {
    await expect(
      lastValueFrom(
        replayEpisode(join(RECORDER_FIXTURES, "nope.h5"), { speed: "max", invalidQuatNorm: 0.5 }),
      ),
    ).rejects.toThrow("not found: no such file");
  });
});
