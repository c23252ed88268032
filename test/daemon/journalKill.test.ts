import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { type MotiveSimulator, startSimulator } from "../../sim/motive/index.js";
import { TapSimulator } from "../../sim/recorder/TapSimulator.js";
import { freePort } from "../helpers/freePort.js";
import { CLI, tempDir } from "../helpers/paths.js";
import { waitFor } from "../helpers/waitFor.js";
import { DaemonProcess } from "./DaemonProcess.js";

let motive: MotiveSimulator | undefined;
let recorder: TapSimulator | undefined;
const daemons: DaemonProcess[] = [];
const dir = tempDir();
afterEach(async () => {
  for (const d of daemons.splice(0)) await d.stop("SIGKILL");
  await recorder?.close();
  await motive?.close();
});
afterAll(() => dir.cleanup());

type Row = {
  id: string;
  state: string;
  at: string;
  run: string;
  take: number | null;
  episode: string | null;
};

describe("the alarm journal survives kill -9 (real processes, the real SQLite file)", () => {
  it("every alarm sent before the kill is in the journal, none twice; the restarted daemon's page history has them", async () => {
    // sensor_left loses tracking for 0.3 s every second; the recorder records take 7 from 0.5 s on.
    motive = await startSimulator({
      commandPort: 0,
      rateHz: 120,
      faults: Array.from({ length: 40 }, (_, i) => ({
        fault: "trackingLost" as const,
        body: 2,
        at: 1 + i,
        durationS: 0.3,
      })),
    });
    const alarmEndpoint = `tcp://127.0.0.1:${await freePort()}`;
    recorder = await TapSimulator.start({
      endpoint: `tcp://127.0.0.1:${await freePort()}`,
      alarmEndpoint,
      takes: [{ at: 0.5, durationS: 60, episode: 7 }],
      dataDir: "/data/t/d",
    });
    const journal = join(dir.path, "alarms.sqlite");
    const args = [
      "--natnet-command-port",
      String(motive.port),
      "--tap",
      recorder.endpoint,
      "--tap-alarms",
      alarmEndpoint,
      "--set",
      "stages.auto=false",
      "--set",
      `journal.file=${journal}`,
    ];
    const first = await DaemonProcess.start(args);
    daemons.push(first);
    await waitFor(() => first.latest("take")?.state === "take", "the take", 10_000);
    // Alarms stamped after this moment were raised while the daemon knew of the take (one raised
    // earlier, before a loaded machine let the tap's news through, has no take: rightly).
    const takeSeenAt = Date.now();
    await waitFor(() => first.alarms.length >= 5, "five alarms", 15_000);
    first.child.kill("SIGKILL");
    await new Promise((resolve) => first.child.once("exit", resolve));
    const sent = first.alarms.map((a) => ({ id: a.id, state: a.state, at: a.at }));

    const listed = () => {
      const r = spawnSync(process.execPath, [CLI, "alarms", "--json", "--set", `journal.file=${journal}`], {
        encoding: "utf8",
      });
      expect(r.status).toBe(0);
      return r.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as Row);
    };
    const afterKill = listed();
    const run = afterKill[0]?.run;
    // Every alarm printed (the journal is written before any other sink) is there, once, in order.
    expect(
      afterKill
        .filter((r) => r.run === run)
        .slice(0, sent.length)
        .map((r) => ({ id: r.id, state: r.state, at: r.at })),
    ).toEqual(sent);
    const keys = afterKill.map((r) => `${r.run} ${r.id} ${r.state}`);
    expect(new Set(keys).size).toBe(keys.length);
    // Raised during take 7, with its file.
    expect(afterKill.find((r) => r.state === "raised" && Date.parse(r.at) > takeSeenAt)).toMatchObject({
      take: 7,
      episode: "/data/t/d/episode_007.h5",
    });

    // A restarted daemon on the same journal: a new run; a page gets the earlier run in its history.
    const second = await DaemonProcess.start(args);
    daemons.push(second);
    await waitFor(() => second.messages.some((m) => m.type === "history"), "the history", 5000);
    const history = second.messages.find((m) => m.type === "history") as unknown as {
      run: string;
      entries: { run: string; alarm: { id: string; state: string } }[];
    };
    expect(history.run).not.toBe(run);
    expect(
      history.entries
        .filter((e) => e.run === run)
        .map((e) => `${e.alarm.id} ${e.alarm.state}`)
        .slice(0, sent.length),
    ).toEqual(sent.map((a) => `${String(a.id)} ${String(a.state)}`));
    await waitFor(() => second.alarms.length >= 1, "an alarm of the new run", 10_000);
    await second.stop("SIGTERM");
    const all = listed();
    expect(all.filter((r) => r.run !== run).length).toBeGreaterThanOrEqual(1);
    const allKeys = all.map((r) => `${r.run} ${r.id} ${r.state}`);
    expect(new Set(allKeys).size).toBe(allKeys.length);
  }, 60_000);
});
