import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runMetadata, type SessionTarget, sessionTarget } from "../../stages/metadata/index.js";
import { tempDir } from "../helpers/paths.js";
import { episodeResult, sessionFolder, writeReports } from "./sessionFixture.js";

const dir = tempDir("rigwatch-metadata-inputs-");
afterAll(dir.cleanup);

function dataset(name: string, episodes: string[] = ["episode_000.h5"]) {
  const root = join(dir.path, name);
  const dateDir = sessionFolder(root, "motherboard", "2026-05-31", episodes);
  writeReports(root, [episodeResult("2026-05-31/episode_000")]);
  const reports = join(root, "figures", "dataset_figures");
  return {
    root,
    dateDir,
    reports,
    target: sessionTarget(dateDir) as SessionTarget,
    tasksPath: join(root, "tasks.json"),
  };
}

function failure(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the run to fail");
}

describe("detect's reports as input: a ReportFileError naming the report, and tasks.json untouched", () => {
  it("bad_frames.json missing", () => {
    const d = dataset("no-bad-frames");
    rmSync(join(d.reports, "bad_frames.json"));
    const error = failure(() => runMetadata([d.target]));
    expect([error.name, error.message]).toEqual([
      "ReportFileError",
      `${join(d.reports, "bad_frames.json")}: not found; run \`rigwatch detect ${d.dateDir}\` first`,
    ]);
    expect(existsSync(d.tasksPath)).toBe(false);
  });

  it("data_quality_report.csv missing", () => {
    const d = dataset("no-csv");
    rmSync(join(d.reports, "data_quality_report.csv"));
    expect(failure(() => runMetadata([d.target])).message).toBe(
      `${join(d.reports, "data_quality_report.csv")}: not found; run \`rigwatch detect ${d.dateDir}\` first`,
    );
  });

  it("an episode on disk that the reports do not cover (detect last ran on another session)", () => {
    const d = dataset("uncovered", ["episode_000.h5", "episode_001.h5"]);
    writeFileSync(d.tasksPath, "{}\n");
    expect(failure(() => runMetadata([d.target])).message).toBe(
      `${join(d.reports, "bad_frames.json")}: no entry for 2026-05-31/episode_001: the reports predate these episodes or come from a detect run that did not cover them; run \`rigwatch detect ${d.dateDir}\` first`,
    );
    expect(readFileSync(d.tasksPath, "utf8")).toBe("{}\n");
  });

  it("a bad_frames.json detect would not have written", () => {
    const d = dataset("edited-report");
    const path = join(d.reports, "bad_frames.json");
    const report = JSON.parse(readFileSync(path, "utf8"));
    report.episodes["2026-05-31/episode_000"].ot_loss_L = "x";
    writeFileSync(path, JSON.stringify(report));
    expect(failure(() => runMetadata([d.target])).message).toBe(
      `${path}: episodes["2026-05-31/episode_000"].ot_loss_L must be a list of [a, b] frame intervals, found a string ("x")`,
    );
  });

  it("two sessions, the second one's tasks.json entry unusable: nothing is written for either", () => {
    const d = dataset("two-sessions");
    const second = sessionFolder(d.root, "motherboard", "2026-06-01", ["episode_000.h5"]);
    writeReports(d.root, [episodeResult("2026-05-31/episode_000"), episodeResult("2026-06-01/episode_000")]);
    const text = '{\n  "per_date_notes": {\n    "2026-06-01": []\n  }\n}\n';
    writeFileSync(d.tasksPath, text);
    expect(failure(() => runMetadata([d.target, sessionTarget(second) as SessionTarget])).message).toBe(
      `${d.tasksPath}: per_date_notes.2026-06-01 must be an object, found an array; nothing was written`,
    );
    expect(readFileSync(d.tasksPath, "utf8")).toBe(text);
  });
});
