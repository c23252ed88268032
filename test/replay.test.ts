import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { lastValueFrom, toArray } from "rxjs";
import { beforeAll, describe, expect, it } from "vitest";
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
      ["ot_loss", "sensor_left", "raised", "critical"],
      ["ot_loss", "sensor_left", "cleared", "critical"],
      ["teleport", "sensor_left", "raised", "warning"],
      ["teleport", "sensor_left", "cleared", "warning"],
    ]);
  });

  it("raises each alarm on the fault's first frame or within the live rule's delay", () => {
    const raised = alarms.filter((a) => a.state === "raised");
    // Spike: the flicker frame itself. Teleports: the frame owning the jump. OT silence: 0.1 s after the
    // last sample (gap starts at 87). Held pose: 0.25 s after the value first appeared (held from 157).
    expect(raised.map((a) => [a.kind, a.frame ?? null, a.detail.reason ?? null])).toEqual([
      ["intensity_spike", 31, null],
      ["teleport", null, null],
      ["ot_loss", null, "silence"],
      ["ot_loss", null, "held"],
      ["teleport", null, null],
    ]);
    // The silence is noticed by the camera tick of frame 90, the first ≥ 0.1 s after the last sample.
    expect(raised[2].t).toBe(timestamps[90]);
    expect(raised[2].detail.silentS).toBeGreaterThanOrEqual(0.1);
    expect(timestamps[89] as number).toBeLessThan(
      (raised[2].t as number) - (raised[2].detail.silentS as number) + 0.1,
    );
  });

  it("ends with how live compares with offline: everything caught, nothing extra", () => {
    const comparison = lines.filter((l) => l.type === "comparison");
    expect(comparison.map((c) => [c.list, c.offlineEvents, c.matched, c.liveOnly])).toEqual([
      ["intensity_spikes", 1, 1, 0],
      ["pose_teleports_L", 2, 2, 0],
      ["pose_teleports_R", 0, 0, 0],
      ["ot_loss_L", 1, 1, 0],
      ["ot_loss_R", 1, 1, 0],
      ["pipeline_stall", 0, 0, 0],
    ]);
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

  it("paces a replay at the requested speed (a 2 s take at 4× cannot end before 0.5 s)", async () => {
    const start = performance.now();
    await lastValueFrom(
      replayEpisode(blosc, { speed: 4, invalidQuatNorm: defaultConfig().detect.invalidQuatNorm }).pipe(
        toArray(),
      ),
    );
    expect(performance.now() - start).toBeGreaterThanOrEqual(450);
  });

  it("errors with the typed episode error for a bad file", async () => {
    await expect(
      lastValueFrom(
        replayEpisode(join(RECORDER_FIXTURES, "nope.h5"), { speed: "max", invalidQuatNorm: 0.5 }),
      ),
    ).rejects.toThrow("not found: no such file");
  });
});
