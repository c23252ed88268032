import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultConfig } from "../../config/index.js";
import type { FreezeRecord } from "../../sinks/reports/index.js";
import type { EpisodeAnalysis } from "../../stages/detect/analyseEpisode.js";
import { clipEvents } from "../../stages/previews/index.js";
import { FAULTED_EPISODE, PROJECT_ROOT, tempDir } from "../helpers/paths.js";
import { pillowGif } from "./previewReference.js";

const CLI = join(PROJECT_ROOT, "dist/cli/cli.js");
const config = defaultConfig();
const rigwatch = (args: readonly string[]) =>
  spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });

describe("borderline events", () => {
  /** A hand-made analysis: only the fields the selection reads. */
  function analysis(over: { freezes?: Partial<FreezeRecord>[]; left?: Float32Array; teleports?: number[] }) {
    const n = 300;
    const timestamps = Float64Array.from({ length: n }, (_, k) => 1000 + k / 30);
    return {
      timestamps,
      analysis: {
        result: {
          key: "2026-12-01/episode_004",
          trimOffset: 10,
          activeSensors: ["left"],
          freezes: (over.freezes ?? []).map((f) => ({ side: "left", verdict: "ot_loss", ...f })),
        },
        gel: {
          left: { intensity: over.left ?? new Float32Array(n - 10) },
          right: { intensity: new Float32Array(n - 10) },
        },
        ot: {
          sensor_left: { teleports: (over.teleports ?? []).map((tB) => ({ tA: tB - 0.008, tB })) },
          sensor_right: { teleports: [] },
        },
      } as unknown as EpisodeAnalysis,
    };
  }

  it("takes freezes of 1 to 5 s, whatever their verdict", () => {
    const { analysis: a, timestamps } = analysis({
      freezes: [
        { h5_a: 20, h5_b: 45, length_s: 0.8667 },
        { h5_a: 50, h5_b: 79, length_s: 1 },
        { h5_a: 100, h5_b: 249, length_s: 5, verdict: "real_still" },
        { h5_a: 20, h5_b: 172, length_s: 5.1, side: "right" },
      ],
    });
    expect(clipEvents(a, timestamps, config.detect, config.previews.clips)).toEqual([
      {
        id: "2026-12-01/episode_004:freeze:left:50-79",
        kind: "freeze",
        side: "left",
        h5: [50, 79],
        reason: "freeze 1.00 s, ot_loss",
      },
      {
        id: "2026-12-01/episode_004:freeze:left:100-249",
        kind: "freeze",
        side: "left",
        h5: [100, 249],
        reason: "freeze 5.00 s, real_still",
      },
    ]);
  });

  it("takes spikes whose peak clears the threshold by less than 10, not the strong ones", () => {
    // Baseline 20: threshold = p99.9 of the running median (20) + 30 = 50.
    const left = new Float32Array(290).fill(20);
    left[40] = 58; // weak: 8 above
    left[120] = 95; // strong
    left[200] = 60; // exactly 10 above: still weak
    const { analysis: a, timestamps } = analysis({ left });
    expect(clipEvents(a, timestamps, config.detect, config.previews.clips)).toEqual([
      {
        id: "2026-12-01/episode_004:spike:left:50-50",
        kind: "spike",
        side: "left",
        h5: [50, 50],
        reason: "weak spike: peak 58.0, threshold 50.0",
      },
      {
        id: "2026-12-01/episode_004:spike:left:210-210",
        kind: "spike",
        side: "left",
        h5: [210, 210],
        reason: "weak spike: peak 60.0, threshold 50.0",
      },
    ]);
  });

  it("takes teleports confined to one camera frame of an active side, after the trim", () => {
    const t = (k: number) => 1000 + k / 30 - 0.01; // owned by frame k
    const { analysis: a, timestamps } = analysis({
      teleports: [t(5), t(60), t(90), t(91), t(150), t(150) + 0.005],
    });
    expect(clipEvents(a, timestamps, config.detect, config.previews.clips).map((e) => e.id)).toEqual([
      "2026-12-01/episode_004:teleport:left:60-60", // frame 5 is trimmed; 90–91 spans two frames
      "2026-12-01/episode_004:teleport:left:150-150", // out and back within one frame
    ]);
  });
});

describe("clips and verdicts on the shared faulted episode", () => {
  const dir = tempDir("rigwatch-clips-");
  const dateDir = join(dir.path, "data", "motherboard", "2026-05-31");
  const clipsDir = join(dir.path, "figures", "episode_previews", "motherboard", "2026-05-31", "clips");
  const freezesFile = join(dir.path, "figures", "dataset_figures", "freeze_intervals.json");
  const badFrames = () =>
    JSON.parse(readFileSync(join(dir.path, "figures", "dataset_figures", "bad_frames.json"), "utf8"));
  let run: ReturnType<typeof rigwatch>;

  beforeAll(() => {
    mkdirSync(dateDir, { recursive: true });
    copyFileSync(FAULTED_EPISODE, join(dateDir, "episode_000.h5"));
    expect(rigwatch(["detect", dateDir]).status).toBe(0);
    // A clip of an event that no longer exists, and another episode's clip that must stay.
    mkdirSync(clipsDir, { recursive: true });
    writeFileSync(join(clipsDir, "episode_000.freeze.right.1-40.gif"), "stale");
    writeFileSync(join(clipsDir, "episode_001.freeze.left.1-40.gif"), "another episode's");
    run = rigwatch(["previews", dateDir, "--json"]);
  }, 120_000);
  afterAll(() => dir.cleanup());

  it("makes a clip of the 2.2 s hold and of the one-frame rotation glitch, the sensor circled red", () => {
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const { clips } = JSON.parse(run.stdout);
    expect(clips.map((c: { id: string }) => c.id)).toEqual([
      "2026-05-31/episode_000:freeze:left:157-222",
      "2026-05-31/episode_000:teleport:left:251-251",
    ]);
    expect(readdirSync(clipsDir).sort()).toEqual([
      "episode_000.freeze.left.157-222.gif",
      "episode_000.teleport.left.251-251.gif",
      "episode_001.freeze.left.1-40.gif",
    ]);
    // ±1 s around 157–222 is 126 frames, shown as 60; the glitch's ±1 s is 61 frames, shown as 60.
    const border: [number, number] = [2, 360]; // inside the left GelSight tile's red frame
    const freeze = pillowGif(join(clipsDir, "episode_000.freeze.left.157-222.gif"), [border]);
    expect(freeze.frames).toBe(60);
    expect(freeze.durations).toEqual(new Array(60).fill(50));
    for (const [r, g, b] of freeze.at.map((p) => p[0] as [number, number, number]))
      expect([r > 250, g < 5, b < 5]).toEqual([true, true, true]);
    const preview = pillowGif(
      join(dir.path, "figures", "episode_previews", "motherboard", "2026-05-31", "episode_000.gif"),
      [border],
    );
    expect(
      preview.at.some(
        ([p]) => (p as [number, number, number])[0] > 250 && (p as [number, number, number])[1] < 5,
      ),
    ).toBe(false);
  });

  it("records a verdict from the clip's path, and the next detect honours it", () => {
    const before = badFrames().episodes["2026-05-31/episode_000"];
    expect(before.ot_loss_L).toEqual([[157, 222]]);
    const clip = join(clipsDir, "episode_000.freeze.left.157-222.gif");
    const set = rigwatch(["verdict", clip, "keep"]);
    expect(set.stderr).toBe("");
    expect(set.status).toBe(0);
    expect(set.stdout).toBe(
      `2026-05-31/episode_000 left 157-222 (ot_loss): manual_verdict "keep" (was null) in ${freezesFile}; the next detect applies it\n`,
    );
    const records = JSON.parse(readFileSync(freezesFile, "utf8")) as FreezeRecord[];
    expect(records.map((r) => [r.side, r.h5_a, r.h5_b, r.manual_verdict])).toEqual([
      ["left", 157, 222, "keep"],
      ["right", 87, 110, null],
    ]);
    expect(rigwatch(["detect", dateDir]).status).toBe(0);
    expect(badFrames().episodes["2026-05-31/episode_000"].ot_loss_L).toEqual([]);

    // By event id, with the report folder named; `clear` takes it back.
    const cleared = rigwatch([
      "verdict",
      "2026-05-31/episode_000:freeze:left:157-222",
      "clear",
      "--reports",
      join(dir.path, "figures", "dataset_figures"),
      "--json",
    ]);
    expect(cleared.status).toBe(0);
    expect(JSON.parse(cleared.stdout)).toMatchObject({
      manual_verdict: null,
      previous: "keep",
      verdict: "ot_loss",
    });
    expect(rigwatch(["detect", dateDir]).status).toBe(0);
    expect(badFrames().episodes["2026-05-31/episode_000"].ot_loss_L).toEqual([[157, 222]]);
  }, 60_000);

  it("refuses a verdict it cannot place, and touches nothing", () => {
    const bytes = readFileSync(freezesFile, "utf8");
    const spike = rigwatch([
      "verdict",
      "2026-05-31/episode_000:spike:left:31-31",
      "keep",
      "--reports",
      join(dir.path, "figures", "dataset_figures"),
    ]);
    expect(spike.status).toBe(2);
    expect(spike.stderr).toContain(
      "rigwatch verdict: 2026-05-31/episode_000:spike:left:31-31: only freezes take a verdict (freeze_intervals.json); a spike is decided by its threshold in the config",
    );
    const unknown = rigwatch([
      "verdict",
      "2026-05-31/episode_000:freeze:left:150-222",
      "cut",
      "--reports",
      join(dir.path, "figures", "dataset_figures"),
    ]);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toBe(
      `rigwatch verdict: ${freezesFile}: no freeze of 2026-05-31/episode_000 left at H5 frames 150-222 (the take was detected again since the clip was made?)\n`,
    );
    const word = rigwatch(["verdict", "2026-05-31/episode_000:freeze:left:157-222", "maybe"]);
    expect(word.status).toBe(2);
    expect(word.stderr).toContain('verdict must be keep, cut, merge or clear, not "maybe"');
    expect(readFileSync(freezesFile, "utf8")).toBe(bytes);
    expect(existsSync(freezesFile)).toBe(true);
  });
});
