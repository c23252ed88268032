import { cpSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { defaultConfig } from "../../config/index.js";
import { metadata } from "../../cli/commands/metadata.js";
import { generateEpisode } from "../../sim/episode/generate.js";
import type { Scenario } from "../../sim/episode/scenario.js";
import { runDetect } from "../../stages/detect/runDetect.js";
import { tempDir } from "../helpers/paths.js";

const dir = tempDir("rigwatch-metadata-cmd-");
const root = join(dir.path, "dataset");
const dateDir = join(root, "data", "motherboard", "2026-05-31");
const reports = join(root, "figures", "dataset_figures");

/** Two short takes: a left LED flicker at frame 31 (±3 frames of padding); 30 frames before OT streams. */
const FAULTS: Scenario["faults"][] = [
  [{ type: "led_flicker", side: "left", start: 31 }],
  [{ type: "ot_uninitialised_prefix", frames: 30 }],
];
const TAKES: Scenario[] = FAULTS.map((faults, i) => ({
  seed: 5 + i,
  faults,
  seconds: 3,
  height: 128,
  width: 160,
  compression: "gzip",
  createdAt: `2026-05-31T05:4${i}:00`,
}));
const NOTE =
  "2 episodes, 150 frames after trim (0.1 min). 7 frames flagged (4.667 %) in 1 episode: " +
  "LED flicker 7 frames in 1 episode. OT-uninitialised prefix trimmed: episode_001 30 frames (1.0 s).";

beforeAll(async () => {
  const paths = TAKES.map((_, i) => join(dateDir, `episode_00${i}.h5`));
  for (const [i, scenario] of TAKES.entries()) await generateEpisode(scenario, paths[i] as string);
  await runDetect(paths, { out: reports, detect: defaultConfig().detect });
});
afterAll(dir.cleanup);
afterEach(() => vi.restoreAllMocks());

function captured(): string[] {
  const lines: string[] = [];
  vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
  return lines;
}

describe("rigwatch metadata on a generated session, from the real detect reports", () => {
  it("writes the session into a new tasks.json: date, kind, detected sensors, the note, the count", async () => {
    const report = JSON.parse(readFileSync(join(reports, "bad_frames.json"), "utf8"));
    expect(report.episodes["2026-05-31/episode_000"].intensity_spikes).toEqual([[28, 34]]);
    expect(report.trim_offsets["2026-05-31/episode_001"]).toBe(30);

    const lines = captured();
    expect(await metadata([dateDir])).toBe(0);
    const tasksPath = join(root, "tasks.json");
    expect(readFileSync(tasksPath, "utf8")).toBe(
      `${JSON.stringify(
        {
          tasks: { motherboard: { dates: ["2026-05-31"] } },
          per_date_notes: {
            "2026-05-31": {
              kind: "bimanual",
              active_sensors: ["left", "right"],
              note: NOTE,
              generated_note: NOTE,
              n_episodes: 2,
            },
          },
        },
        null,
        2,
      )}\n`,
    );
    expect(lines).toEqual([
      `updated  motherboard/2026-05-31 in ${tasksPath}: tasks.motherboard.dates, per_date_notes.2026-05-31`,
      `         ${NOTE}`,
    ]);
  });

  it("a second run with --json changes nothing and says so", async () => {
    const tasksPath = join(root, "tasks.json");
    const before = readFileSync(tasksPath, "utf8");
    const lines = captured();
    expect(await metadata([dateDir, "--json"])).toBe(0);
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      {
        type: "metadata",
        session: dateDir,
        task: "motherboard",
        date: "2026-05-31",
        tasks: tasksPath,
        status: "unchanged",
        changed: [],
        kept: [],
        n_episodes: 2,
        generated_note: NOTE,
      },
    ]);
    expect(readFileSync(tasksPath, "utf8")).toBe(before);
  });

  it("--tasks and --reports name the files for a session folder outside a dataset layout", async () => {
    const loose = join(dir.path, "loose", "motherboard", "2026-05-31");
    mkdirSync(loose, { recursive: true });
    cpSync(dateDir, loose, { recursive: true });
    const tasksPath = join(dir.path, "loose", "notes.json");
    captured();
    expect(await metadata([loose, "--tasks", tasksPath, "--reports", reports])).toBe(0);
    expect(JSON.parse(readFileSync(tasksPath, "utf8")).per_date_notes["2026-05-31"].note).toBe(NOTE);
  });

  it("usage errors: no folder, a folder outside the layout without --tasks/--reports, two tasks on one date", async () => {
    await expect(metadata([])).rejects.toMatchObject({
      name: "UsageError",
      message: "metadata needs at least one session folder",
    });
    const loose = join(dir.path, "loose-usage", "motherboard", "2026-05-31");
    mkdirSync(loose, { recursive: true });
    await expect(metadata([loose])).rejects.toMatchObject({
      name: "UsageError",
      message: `${loose} is not in a dataset's data/<task>/<date>/: give --tasks FILE and --reports DIR`,
    });
    const other = join(root, "data", "cable", "2026-05-31");
    mkdirSync(other, { recursive: true });
    await expect(metadata([dateDir, other])).rejects.toMatchObject({
      name: "UsageError",
      message: `${dateDir} and ${other} share the date 2026-05-31, and per_date_notes is keyed by date: update them one at a time`,
    });
  });
});
