import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateEpisode } from "../../sim/episode/generate.js";
import { presetSession } from "../../sim/episode/presets.js";
import type { FreezeRecord } from "../../sinks/reports/index.js";
import { PROJECT_ROOT, tempDir } from "../helpers/paths.js";
import { expectedLists, readTruth, type Truth } from "../helpers/truth.js";

const CLI = join(PROJECT_ROOT, "dist/cli/cli.js");
const REPORTS = [
  "bad_frames.json",
  "freeze_intervals.json",
  "data_quality_breakdown.json",
  "data_quality_report.csv",
];

function rigwatch(args: readonly string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });
}

const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

/**
 * The generator's every-fault session (every fault and hard negative of the spec, with truth), laid out
 * as a dataset (data/<task>/<date>/) and run through the real CLI.
 */
describe("rigwatch detect on a generated session", () => {
  const dir = tempDir();
  const session = presetSession("every-fault", { seed: 11 });
  const dateDir = join(dir.path, "data", session.task, session.date);
  const out = join(dir.path, "figures", "dataset_figures");
  const truths: Record<string, Truth> = {};
  let sources: Record<string, string> = {};

  beforeAll(async () => {
    for (const [i, scenario] of session.episodes.entries()) {
      const path = join(dateDir, `episode_${String(i).padStart(3, "0")}.h5`);
      // A quarter of the rig's pixels: every detector reads 128×128 thumbnails of whatever size it gets.
      await generateEpisode({ ...scenario, height: 240, width: 320 }, path);
      truths[`${session.date}/episode_${String(i).padStart(3, "0")}`] = readTruth(
        path.replace(/\.h5$/, ".truth.json"),
      );
    }
    sources = Object.fromEntries(
      Object.keys(truths).map((key) => [key, sha256(join(dir.path, "data", session.task, `${key}.h5`))]),
    );
    const run = rigwatch(["detect", dateDir]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  }, 180_000);
  afterAll(dir.cleanup);

  const badFrames = () => JSON.parse(readFileSync(join(out, "bad_frames.json"), "utf8"));
  const freezes = (): FreezeRecord[] => JSON.parse(readFileSync(join(out, "freeze_intervals.json"), "utf8"));

  it("writes the four reports into <dataset>/figures/dataset_figures", () => {
    for (const name of REPORTS) expect(sha256(join(out, name))).toMatch(/^[0-9a-f]{64}$/);
  });

  it("finds every injected fault with the right mode, side and extent, and nothing on the hard negatives", () => {
    const report = badFrames();
    for (const [key, truth] of Object.entries(truths)) {
      const { n_frames, duration_s, total_bad_frames, bad_fraction, ...lists } = report.episodes[key];
      expect({ key, lists }).toEqual({ key, lists: expectedLists(truth) });
      expect(n_frames).toBe(truth.T - truth.trim_offset);
      expect(report.trim_offsets[key]).toBe(truth.trim_offset);
    }
  });

  it("diagnoses the operator's rest as real_still and keeps those frames", () => {
    const rests = freezes().filter((f) => f.episode.endsWith("episode_001") && f.h5_a === 150);
    expect(rests.map((f) => [f.side, f.h5_b, f.verdict])).toEqual([
      ["left", 185, "real_still"],
      ["right", 185, "real_still"],
    ]);
  });

  it("flags gel drift and reports active sensors in the CSV", () => {
    const csv = readFileSync(join(out, "data_quality_report.csv"), "utf8").trim().split("\n");
    expect(csv[0]).toBe(
      "episode,n_frames,duration_s,trim_offset,active_sensors,gelsight_led_flicker_frames,pose_teleport_frames,ot_loss_frames,pipeline_stall_frames,total_bad_frames,bad_fraction,drift_left,drift_right,drift_warning,integrity",
    );
    const rows = csv.slice(1).map((line) => line.split(","));
    expect(rows.map((r) => [r[0], r[3], r[4], r[13], r[14]])).toEqual(
      Object.entries(truths).map(([key, t]) => [
        key,
        String(t.trim_offset),
        t.active_sensors.join("+"),
        String(
          (t as unknown as { drift: Record<string, boolean> }).drift.left ||
            (t as unknown as { drift: Record<string, boolean> }).drift.right,
        ),
        "ok",
      ]),
    );
  });

  it("adds up the breakdown from the published lists", () => {
    const breakdown = JSON.parse(readFileSync(join(out, "data_quality_breakdown.json"), "utf8"));
    const report = badFrames();
    expect(breakdown.total_frames).toBe(report.summary.total_frames);
    expect(breakdown.n_episodes).toBe(4);
    const frames = (lists: string[]) => {
      let n = 0;
      for (const e of Object.values(report.episodes) as Record<string, [number, number][]>[]) {
        const covered = new Set<number>();
        for (const list of lists)
          for (const [a, b] of e[list] ?? []) for (let k = a; k <= b; k++) covered.add(k);
        n += covered.size;
      }
      return n;
    };
    expect(breakdown.modes.gelsight_led_flicker.frames).toBe(frames(["intensity_spikes"]));
    expect(breakdown.modes.pose_teleport.frames).toBe(frames(["pose_teleports_L", "pose_teleports_R"]));
    expect(breakdown.modes.ot_loss.frames).toBe(frames(["ot_loss_L", "ot_loss_R"]));
    expect(breakdown.modes.pipeline_stall.frames).toBe(frames(["pipeline_stall"]));
    expect(breakdown.modes.pipeline_stall.episodes_affected).toBe(1);
  });

  it("writes byte-identical reports on a re-run, and never touches the recordings", () => {
    const before = Object.fromEntries(REPORTS.map((name) => [name, sha256(join(out, name))]));
    expect(rigwatch(["detect", dateDir]).status).toBe(0);
    expect(Object.fromEntries(REPORTS.map((name) => [name, sha256(join(out, name))]))).toEqual(before);
    for (const [key, hash] of Object.entries(sources))
      expect(sha256(join(dir.path, "data", session.task, `${key}.h5`))).toBe(hash);
  });

  it("keeps manual verdicts and lets them win: keep removes a loss, cut adds a rest", () => {
    const records = freezes();
    const loss = records.find((f) => f.episode.endsWith("episode_000") && f.side === "right");
    const rest = records.find(
      (f) => f.episode.endsWith("episode_001") && f.side === "left" && f.verdict === "real_still",
    );
    expect([loss?.verdict, rest?.verdict]).toEqual(["ot_loss", "real_still"]);
    const edited = records.map((f) =>
      f === loss ? { ...f, manual_verdict: "keep" } : f === rest ? { ...f, manual_verdict: "cut" } : f,
    );
    writeFileSync(join(out, "freeze_intervals.json"), JSON.stringify(edited, null, 2));
    expect(rigwatch(["detect", dateDir]).status).toBe(0);
    const after = freezes();
    expect(
      after
        .filter((f) => f.manual_verdict !== null)
        .map((f) => [f.episode, f.side, f.h5_a, f.manual_verdict]),
    ).toEqual([
      [loss?.episode, "right", loss?.h5_a, "keep"],
      [rest?.episode, "left", rest?.h5_a, "cut"],
    ]);
    const report = badFrames();
    expect(report.episodes[loss?.episode as string].ot_loss_R).toEqual([]);
    expect(report.episodes[rest?.episode as string].ot_loss_L).toEqual([[150, 185]]);
  });

  it("prints one JSON object per episode with --json", () => {
    const lines = execFileSync(
      process.execPath,
      [CLI, "detect", dateDir, "--json", "--out", join(dir.path, "json")],
      {
        encoding: "utf8",
      },
    )
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines.map((l) => [l.type, l.key, l.status])).toEqual(
      Object.keys(truths).map((key) => ["episode", key, "ok"]),
    );
  });
});
