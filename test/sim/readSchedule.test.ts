import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readSchedule, ScheduleFileError } from "../../sim/readSchedule.js";
import { PROJECT_ROOT } from "../helpers/paths.js";

const CLI = join(PROJECT_ROOT, "dist/cli/cli.js");
const dir = mkdtempSync(join(tmpdir(), "rigwatch-schedule-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe("the simulated rig's schedule file (run --sim --sim-schedule)", () => {
  it("reads Motive's faults, the recorder's faults and the takes; missing lists are empty", () => {
    const path = file(
      "ok.json",
      JSON.stringify({
        motive: [{ at: 3, fault: "rest", body: 2, durationS: 1.5 }],
        tap: [{ at: 3, fault: "sceneStill", durationS: 1.5 }],
        takes: [{ at: 1, durationS: 6, episode: 0 }],
      }),
    );
    expect(readSchedule(path)).toEqual({
      motive: [{ at: 3, fault: "rest", body: 2, durationS: 1.5 }],
      tap: [{ at: 3, fault: "sceneStill", durationS: 1.5 }],
      takes: [{ at: 1, durationS: 6, episode: 0 }],
    });
    expect(readSchedule(file("takes.json", '{"takes": []}'))).toEqual({ motive: [], tap: [], takes: [] });
  });

  it("refuses a file it cannot use with a typed error naming the file and the place", () => {
    const cases: [string, string, string][] = [
      ["bad.json", "{motive: []}", "not valid JSON"],
      ["kind.json", '{"motive": [{"at": 1, "fault": "explode"}]}', "motive.0.fault: "],
      ["time.json", '{"takes": [{"at": -1, "durationS": 2, "episode": 0}]}', "takes.0.at: "],
      ["extra.json", '{"tap": [{"at": 1, "fault": "ledFlicker", "side": "left", "n": 2}]}', "tap.0: "],
      ["top.json", '{"faults": []}', "the file: "],
    ];
    for (const [name, text, where] of cases) {
      const path = file(name, text);
      expect(() => readSchedule(path)).toThrow(ScheduleFileError);
      expect(() => readSchedule(path)).toThrow(`simulated rig schedule ${path}: ${where}`);
    }
    expect(() => readSchedule(join(dir, "none.json"))).toThrow(
      `simulated rig schedule ${join(dir, "none.json")}: ENOENT`,
    );
  });

  it("rigwatch run says what is wrong and exits 1 (a bad file) or 2 (--sim-schedule without --sim)", () => {
    const bad = spawnSync(process.execPath, [CLI, "run", "--sim", "--sim-schedule", join(dir, "kind.json")], {
      encoding: "utf8",
    });
    expect([bad.status, bad.stderr.split("\n")[0]]).toEqual([
      1,
      expect.stringMatching(/^rigwatch run: simulated rig schedule .*kind\.json: motive\.0\.fault: /),
    ]);
    const alone = spawnSync(process.execPath, [CLI, "run", "--sim-schedule", join(dir, "ok.json")], {
      encoding: "utf8",
    });
    expect([alone.status, alone.stderr.split("\n")[0]]).toEqual([
      2,
      "rigwatch run: --sim-schedule needs --sim",
    ]);
  });
});
