import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Alarm } from "../../detectors/alarm.js";
import { AlarmJournal } from "../../sinks/AlarmJournal.js";
import { CLI, tempDir } from "../helpers/paths.js";

const dir = tempDir();
const file = join(dir.path, "alarms.sqlite");
afterAll(() => dir.cleanup());

const alarm = (id: string, state: Alarm["state"], at: string, extra: Partial<Alarm> = {}): Alarm => ({
  type: "alarm",
  id,
  kind: id.split(":")[0] as Alarm["kind"],
  state,
  severity: "critical",
  subject: id.split(":")[1] as string,
  t: 1796000000.5,
  at,
  detail: { reason: "invalid" },
  ...extra,
});

beforeAll(() => {
  const journal = new AlarmJournal({ file, retentionDays: 100_000, run: "r1" });
  const take3 = { take: 3, episode: "/data/t/d/episode_003.h5" };
  journal.record(alarm("ot_loss:sensor_left:1", "raised", "2026-12-01T10:00:00.000Z"), take3);
  journal.record(alarm("ot_loss:sensor_left:1", "cleared", "2026-12-01T10:00:01.000Z"), take3);
  journal.record(
    alarm("intensity_spike:gel_left:1", "raised", "2026-12-01T11:00:00.000Z", {
      severity: "warning",
      frame: 210,
      detail: { peak: 91, note: 'a "quoted", comma' },
    }),
    { take: 4, episode: "/data/t/d/episode_004.h5" },
  );
  journal.close();
});

function alarms(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, "alarms", "--set", `journal.file=${file}`, ...args], {
    encoding: "utf8",
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("rigwatch alarms (the journal for researchers)", () => {
  it("lists every alarm as text, oldest first, with take and frame", () => {
    expect(alarms()).toEqual({
      status: 0,
      stdout:
        "2026-12-01T10:00:00.000Z  critical ot_loss raised sensor_left take 3\n" +
        "2026-12-01T10:00:01.000Z  critical ot_loss cleared sensor_left take 3\n" +
        "2026-12-01T11:00:00.000Z  warning  intensity_spike raised gel_left take 4 frame 210\n",
      stderr: "",
    });
  });

  it("filters by take, kind and time; CSV quotes what needs it; JSON carries run, take and episode", () => {
    expect(alarms("--take", "4", "--csv").stdout).toBe(
      "at,run,take,episode,id,kind,state,severity,subject,t,frame,detail\n" +
        '2026-12-01T11:00:00.000Z,r1,4,/data/t/d/episode_004.h5,intensity_spike:gel_left:1,intensity_spike,raised,warning,gel_left,1796000000.5,210,"{""peak"":91,""note"":""a \\""quoted\\"", comma""}"\n',
    );
    const json = alarms("--kind", "ot_loss", "--since", "2026-12-01T10:00:00.500Z", "--json");
    expect(
      json.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l)),
    ).toEqual([
      {
        ...alarm("ot_loss:sensor_left:1", "cleared", "2026-12-01T10:00:01.000Z"),
        run: "r1",
        take: 3,
        episode: "/data/t/d/episode_003.h5",
      },
    ]);
    // A duration back from now: nothing from 2026-12-01 is within the last 30 minutes.
    expect(alarms("--since", "30m")).toEqual({
      status: 0,
      stdout: "",
      stderr: `rigwatch alarms: none in ${file}\n`,
    });
  });

  it("bad flags and a missing journal are one line each", () => {
    expect(alarms("--take", "x").stderr.split("\n")[0]).toBe(
      'rigwatch alarms: --take expects an episode number, got "x"',
    );
    expect(alarms("--kind", "fire").status).toBe(2);
    expect(alarms("--since", "yesterday").stderr.split("\n")[0]).toBe(
      'rigwatch alarms: --since expects an ISO time (2026-12-01T09:00) or a duration (30m, 2h, 7d), got "yesterday"',
    );
    const missing = spawnSync(
      process.execPath,
      [CLI, "alarms", "--set", `journal.file=${join(dir.path, "none.sqlite")}`],
      {
        encoding: "utf8",
      },
    );
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe(
      `rigwatch alarms: alarm journal ${join(dir.path, "none.sqlite")}: no journal here yet (the daemon writes it on its first start)\n`,
    );
  });
});
