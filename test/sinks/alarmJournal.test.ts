import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Alarm } from "../../detectors/alarm.js";
import { AlarmJournal, JournalError } from "../../sinks/AlarmJournal.js";
import { tempDir } from "../helpers/paths.js";

const dir = tempDir();
afterAll(() => dir.cleanup());

const alarm = (
  id: string,
  state: "raised" | "cleared",
  at: string,
  kind: Alarm["kind"] = "ot_loss",
): Alarm => ({
  type: "alarm",
  id,
  kind,
  state,
  severity: "critical",
  subject: id.split(":")[1] as string,
  t: 100,
  at,
  detail: { reason: "invalid" },
});

describe("AlarmJournal (a real SQLite file)", () => {
  it("records each alarm once per run with its take, lists by time, take and kind, oldest first", () => {
    const file = join(dir.path, "a", "alarms.sqlite"); // the folder is made
    const journal = new AlarmJournal({ file, retentionDays: 30, run: "run-1" });
    const a1 = alarm("ot_loss:sensor_left:1", "raised", "2026-12-01T10:00:00.000Z");
    journal.record(a1, { take: 3, episode: "/d/episode_003.h5" });
    journal.record(a1, { take: 3, episode: "/d/episode_003.h5" }); // again: stored once
    journal.record(alarm("ot_loss:sensor_left:1", "cleared", "2026-12-01T10:00:01.000Z"), undefined);
    journal.record(alarm("teleport:sensor_right:1", "raised", "2026-12-01T11:00:00.000Z", "teleport"), {
      take: 4,
      episode: "/d/episode_004.h5",
    });
    journal.close();

    const again = new AlarmJournal({ file, retentionDays: 30, run: "run-2" });
    // A new run's ids start from 1 again: not the same alarm.
    again.record(a1, undefined);
    expect(again.list().map((e) => [e.seq, e.run, e.take, e.episode, e.alarm.id, e.alarm.state])).toEqual([
      [1, "run-1", 3, "/d/episode_003.h5", "ot_loss:sensor_left:1", "raised"],
      [3, "run-1", null, null, "ot_loss:sensor_left:1", "cleared"],
      [4, "run-1", 4, "/d/episode_004.h5", "teleport:sensor_right:1", "raised"],
      [5, "run-2", null, null, "ot_loss:sensor_left:1", "raised"],
    ]);
    expect(again.list({ take: 4 }).map((e) => e.alarm.id)).toEqual(["teleport:sensor_right:1"]);
    expect(
      again.list({ kind: "ot_loss", since: new Date("2026-12-01T10:00:00.500Z") }).map((e) => e.seq),
    ).toEqual([3]);
    expect(again.list({ limit: 2 }).map((e) => e.seq)).toEqual([4, 5]);
    expect(again.list()[0]?.alarm).toEqual(a1);
    // Retention: on 2026-12-31T10:30 the rows stamped more than 30 days before are deleted.
    expect(again.prune(new Date("2026-12-31T10:30:00.000Z"))).toBe(3);
    expect(again.list().map((e) => e.seq)).toEqual([4]);
    again.close();
    again.close(); // idempotent
  });

  it("the file is a plain SQLite database in WAL mode that sqlite3 tools can read", () => {
    const file = join(dir.path, "wal.sqlite");
    const journal = new AlarmJournal({ file, retentionDays: 30 });
    journal.record(alarm("ot_loss:motherboard:1", "raised", "2026-12-01T10:00:00.000Z"), {
      take: 0,
      episode: "e",
    });
    const python = spawnSync(
      "/usr/bin/python3",
      [
        "-c",
        "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(c.execute('pragma journal_mode').fetchone()[0]); print(c.execute('select id, state, take from alarms').fetchall())",
        file,
      ],
      { encoding: "utf8" },
    );
    journal.close();
    expect(python.stdout).toBe("wal\n[('ot_loss:motherboard:1', 'raised', 0)]\n");
  });

  it("a file that cannot be opened is a JournalError naming it", () => {
    expect(
      () => new AlarmJournal({ file: join(dir.path, "none.sqlite"), retentionDays: 1, readonly: true }),
    ).toThrow(JournalError);
    const aFile = join(dir.path, "a-file");
    writeFileSync(aFile, "not a folder");
    expect(() => new AlarmJournal({ file: join(aFile, "alarms.sqlite"), retentionDays: 1 })).toThrow(
      `alarm journal ${join(aFile, "alarms.sqlite")}: EEXIST: file already exists, mkdir '${aFile}'`,
    );
  });
});
