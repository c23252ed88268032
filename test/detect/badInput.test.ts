import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT, recorderEpisode, tempDir } from "../helpers/paths.js";
import { python } from "../helpers/python.js";

const CLI = join(PROJECT_ROOT, "dist/cli/cli.js");
const BLOSC = recorderEpisode("blosc");
const dir = tempDir();
afterAll(dir.cleanup);

const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

/** A session folder with one copy of the real 60-tick BLOSC episode, edited by h5py. */
function session(
  name: string,
  edit: string,
  tasks?: object,
): { dateDir: string; episode: string; out: string } {
  const dateDir = join(dir.path, name, "data", "motherboard", "2026-05-30");
  mkdirSync(dateDir, { recursive: true });
  const episode = join(dateDir, "episode_000.h5");
  copyFileSync(BLOSC, episode);
  if (edit)
    python(`import sys, h5py, numpy as np\nwith h5py.File(sys.argv[1], "a") as f:\n${edit}`, [episode]);
  if (tasks) writeFileSync(join(dir.path, name, "tasks.json"), JSON.stringify(tasks));
  return { dateDir, episode, out: join(dir.path, name, "figures", "dataset_figures") };
}

function detect(dateDir: string) {
  const run = spawnSync(process.execPath, [CLI, "detect", dateDir, "--json"], { encoding: "utf8" });
  const lines = run.stdout
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  return { status: run.status, stderr: run.stderr, line: lines[0] };
}

/** Replaces an OT body's datasets (h5py needs delete + create to change the length). */
const setOt = (body: string, expr: string) =>
  `    t = f["optitrack/${body}/timestamps"][:]\n    p = f["optitrack/${body}/pose"][:]\n    ${expr}\n    del f["optitrack/${body}/timestamps"]\n    del f["optitrack/${body}/pose"]\n    f["optitrack/${body}/timestamps"] = t\n    f["optitrack/${body}/pose"] = p.reshape(-1, 7)`;

describe("detect on bad input: a clear error or a documented verdict, never a crash or a touched file", () => {
  it("clean baseline: the unedited episode has no fault", () => {
    const { dateDir, episode } = session("clean", "");
    const before = sha256(episode);
    const { status, line } = detect(dateDir);
    expect([status, line.status, line.bad_frames, line.warnings]).toEqual([0, "ok", 0, []]);
    expect(sha256(episode)).toBe(before);
  });

  it("NaN poses are invalid samples: an OT-loss event on those frames", () => {
    const { dateDir, episode } = session("nan", setOt("sensor_left", "p[100:104, :] = np.nan"));
    const before = sha256(episode);
    const { status, line } = detect(dateDir);
    expect(status).toBe(0);
    expect(line.warnings).toEqual(["sensor_left: 4 invalid OT samples"]);
    expect(line.lists.ot_loss_L).toHaveLength(1);
    expect(line.lists.pose_teleports_L).toEqual([]);
    expect(sha256(episode)).toBe(before);
  });

  it("an empty OT stream on a side whose gel is in contact: OT loss over the whole take", () => {
    const { dateDir } = session("empty", setOt("sensor_right", "t = t[:0]; p = p[:0]"));
    const { status, line } = detect(dateDir);
    expect(status).toBe(0);
    expect(line.warnings).toEqual(["sensor_right: no OT samples"]);
    expect([line.active_sensors, line.lists.ot_loss_R]).toEqual([["left", "right"], [[0, 59]]]);
  });

  it("an empty OT stream on a side that is neither touched nor moved: a warning, not a fault", () => {
    const tasks = { per_date_notes: { "2026-05-30": { kind: "test", active_sensors: ["left"], note: "" } } };
    const { dateDir } = session("empty-inactive", setOt("sensor_right", "t = t[:0]; p = p[:0]"), tasks);
    const { status, line } = detect(dateDir);
    expect([status, line.active_sensors, line.lists.ot_loss_R, line.bad_frames]).toEqual([
      0,
      ["left"],
      [],
      0,
    ]);
  });

  it("an empty OT stream on a side tasks.json calls active leaves nothing publishable (trim to the end)", () => {
    const tasks = {
      per_date_notes: { "2026-05-30": { kind: "test", active_sensors: ["left", "right"], note: "" } },
    };
    const { dateDir } = session("empty-active", setOt("sensor_right", "t = t[:0]; p = p[:0]"), tasks);
    const { status, line } = detect(dateDir);
    expect([status, line.n_frames, line.trim_offset, line.active_sensors]).toEqual([
      0,
      0,
      60,
      ["left", "right"],
    ]);
  });

  it("out-of-order OT timestamps are ignored and counted", () => {
    const { dateDir } = session("ot-order", setOt("sensor_left", "t[50], t[51] = t[51], t[50]"));
    const { status, line } = detect(dateDir);
    expect(status).toBe(0);
    expect(line.warnings).toEqual(["sensor_left: 1 OT samples out of time order, ignored"]);
    expect(line.bad_frames).toBe(0);
  });

  it("camera timestamps that go backwards: a typed error, the CSV says why, the file is untouched", () => {
    const { dateDir, episode, out } = session(
      "cam-order",
      `    t = f["timestamps"][:]\n    t[20] = t[10]\n    f["timestamps"][:] = t`,
    );
    const before = sha256(episode);
    const { status, line } = detect(dateDir);
    expect(status).toBe(1);
    expect([line.status, line.code]).toEqual(["error", "bad_timestamps"]);
    expect(line.error).toBe(`${episode} [timestamps]: bad timestamps: not increasing at frame 20`);
    expect(readFileSync(join(out, "data_quality_report.csv"), "utf8").trim().split("\n")[1]).toBe(
      "2026-05-30/episode_000,0,0,0,,0,0,0,0,0,0,,,false,bad_timestamps",
    );
    expect(sha256(episode)).toBe(before);
  });

  it("a truncated file: a typed error naming it; detect leaves quarantine to check", () => {
    const { dateDir, episode } = session("truncated", "");
    writeFileSync(episode, readFileSync(BLOSC).subarray(0, 2_000_000));
    const { status, line } = detect(dateDir);
    expect([status, line.code]).toEqual([1, "truncated"]);
    expect(sha256(episode)).toBe(
      createHash("sha256").update(readFileSync(BLOSC).subarray(0, 2_000_000)).digest("hex"),
    );
  });

  it("a malformed config value stops before any work, naming the key", () => {
    const { dateDir } = session("config", "");
    const run = spawnSync(process.execPath, [CLI, "detect", dateDir, "--set", "detect.otGapS=soon"], {
      encoding: "utf8",
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      'rigwatch detect: config detect.otGapS (from flag --set detect.otGapS=soon): expected a number, got "soon"\n',
    );
  });
});

describe("detect with a damaged freeze_intervals.json", () => {
  it("refuses to overwrite people's verdicts it cannot read, and says which record", () => {
    const { dateDir, out } = session("verdicts", "");
    mkdirSync(out, { recursive: true });
    const file = join(out, "freeze_intervals.json");
    writeFileSync(
      file,
      JSON.stringify([
        { episode: "2026-05-30/episode_000", side: "left", h5_a: 3, h5_b: 9, manual_verdict: "drop" },
      ]),
    );
    const run = spawnSync(process.execPath, [CLI, "detect", dateDir], { encoding: "utf8" });
    expect([run.status, run.stderr]).toEqual([
      1,
      `rigwatch detect: ${file}: record 0 (2026-05-30/episode_000 left): manual_verdict must be null, "keep", "cut" or "merge", found "drop"\n`,
    ]);
    writeFileSync(file, "[{");
    const broken = spawnSync(process.execPath, [CLI, "detect", dateDir], { encoding: "utf8" });
    expect(broken.status).toBe(1);
    expect(broken.stderr).toContain(`rigwatch detect: ${file}: not valid JSON`);
    expect(readFileSync(file, "utf8")).toBe("[{");
  });
});

describe("detect with a damaged tasks.json", () => {
  it("names the file and the value it cannot use", () => {
    const tasks = {
      per_date_notes: { "2026-05-30": { kind: "test", active_sensors: ["left", "middle"], note: "" } },
    };
    const { dateDir } = session("bad-tasks", "", tasks);
    const run = spawnSync(process.execPath, [CLI, "detect", dateDir], { encoding: "utf8" });
    expect([run.status, run.stdout, run.stderr]).toEqual([
      1,
      "",
      `rigwatch detect: ${join(dir.path, "bad-tasks", "tasks.json")}: per_date_notes.2026-05-30.active_sensors must list "left" and/or "right", found ["left","middle"]\n`,
    ]);
  });
});

describe("rigwatch check", () => {
  it("renames a corrupt file *.h5.corrupt, keeps its bytes, and leaves good files alone", () => {
    const { dateDir, episode } = session("check", "");
    const bad = join(dateDir, "episode_001.h5");
    const truncated = readFileSync(BLOSC).subarray(0, 1_500_000);
    writeFileSync(bad, truncated);
    const run = spawnSync(process.execPath, [CLI, "check", dateDir, "--json"], { encoding: "utf8" });
    expect(run.status).toBe(1);
    const lines = run.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.path, l.status, l.code, l.quarantinedAs])).toEqual([
      [episode, "ok", undefined, undefined],
      [bad, "corrupt", "truncated", `${bad}.corrupt`],
    ]);
    expect(sha256(`${bad}.corrupt`)).toBe(createHash("sha256").update(truncated).digest("hex"));
    expect(sha256(episode)).toBe(sha256(BLOSC));
    // A second run finds only the good file: quarantined files are out of every later stage.
    const again = spawnSync(process.execPath, [CLI, "check", dateDir], { encoding: "utf8" });
    expect([again.status, again.stdout]).toEqual([0, `ok       ${episode} (60 frames)\n`]);
  });
});
