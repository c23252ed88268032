import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAULTED_EPISODE, PROJECT_ROOT, tempDir } from "../helpers/paths.js";

const CLI = join(PROJECT_ROOT, "dist/cli/cli.js");
const rigwatch = (args: readonly string[]) =>
  spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });

/**
 * The reports in figures/dataset_figures are the dataset's: detecting one session keeps every other
 * session in them, from that session's cached results (not analysed again).
 */
describe("detect's reports cover the whole dataset", () => {
  const dir = tempDir("rigwatch-dataset-");
  const sessions = ["2026-05-30", "2026-05-31"].map((date) => join(dir.path, "data", "motherboard", date));
  const reports = join(dir.path, "figures", "dataset_figures");
  const badFrames = () => JSON.parse(readFileSync(join(reports, "bad_frames.json"), "utf8"));
  const cache = join(sessions[0] as string, ".rigwatch", "detect", "episode_000.json");

  const record = (session: string) => {
    mkdirSync(session, { recursive: true });
    copyFileSync(FAULTED_EPISODE, join(session, "episode_000.h5"));
  };
  beforeAll(() => record(sessions[0] as string));
  afterAll(() => dir.cleanup());

  it("keeps the first session's episodes when the second one is detected, from its cache", () => {
    expect(rigwatch(["detect", sessions[0] as string]).status).toBe(0);
    expect(Object.keys(badFrames().episodes)).toEqual(["2026-05-30/episode_000"]);
    const cached = { bytes: readFileSync(cache, "utf8"), mtimeMs: statSync(cache).mtimeMs };

    record(sessions[1] as string); // the next day's session
    const second = rigwatch(["detect", sessions[1] as string, "--json"]);
    expect(second.status).toBe(0);
    const report = badFrames();
    expect(Object.keys(report.episodes)).toEqual(["2026-05-30/episode_000", "2026-05-31/episode_000"]);
    expect(report.summary.n_episodes).toBe(2);
    expect(report.episodes["2026-05-30/episode_000"]).toEqual(report.episodes["2026-05-31/episode_000"]);
    expect(readFileSync(cache, "utf8")).toBe(cached.bytes);
    expect(statSync(cache).mtimeMs).toBe(cached.mtimeMs);
    const freezes = JSON.parse(readFileSync(join(reports, "freeze_intervals.json"), "utf8"));
    expect(freezes.map((f: { episode: string }) => f.episode)).toEqual([
      "2026-05-30/episode_000",
      "2026-05-30/episode_000",
      "2026-05-31/episode_000",
      "2026-05-31/episode_000",
    ]);
  });

  it("analyses an episode again when a person's verdict on it changes", () => {
    const before = readFileSync(cache, "utf8");
    const clip = "2026-05-30/episode_000:freeze:left:157-222";
    expect(rigwatch(["verdict", clip, "keep", "--reports", reports]).status).toBe(0);
    expect(rigwatch(["detect", sessions[1] as string]).status).toBe(0);
    expect(readFileSync(cache, "utf8")).not.toBe(before);
    const report = badFrames();
    expect(report.episodes["2026-05-30/episode_000"].ot_loss_L).toEqual([]);
    expect(report.episodes["2026-05-31/episode_000"].ot_loss_L).toEqual([[157, 222]]);
  });
});
