import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { type MotiveSimulator, startSimulator } from "../../sim/motive/index.js";
import { freePort } from "../helpers/freePort.js";
import { CLI, tempDir } from "../helpers/paths.js";
import { waitFor } from "../helpers/waitFor.js";
import { DaemonProcess } from "./DaemonProcess.js";

/** Motive's ids of the simulated rig's sensors. */
const LEFT = 2;
const RIGHT = 3;

let motive: MotiveSimulator | undefined;
const daemons: DaemonProcess[] = [];
const dir = tempDir();
afterEach(async () => {
  for (const d of daemons.splice(0)) await d.stop("SIGKILL");
  await motive?.close();
});
afterAll(() => dir.cleanup());

/** A 0.3 s tracking loss of one body every 2 s (the daemon may start late on a loaded machine). */
const everyTwoSeconds = (body: number) =>
  Array.from({ length: 12 }, (_, i) => ({
    fault: "trackingLost" as const,
    body,
    at: 2 + 2 * i,
    durationS: 0.3,
  }));

/** `rigwatch run` on the simulated Motive, its tap on a port nobody publishes on, with a test seam. */
async function daemonWith(seam: object, journal: string): Promise<DaemonProcess> {
  const daemon = await DaemonProcess.start(
    [
      "--natnet-command-port",
      String(motive?.port),
      "--tap",
      `tcp://127.0.0.1:${await freePort()}`,
      "--tap-alarms",
      `tcp://127.0.0.1:${await freePort()}`,
      "--set",
      "stages.auto=false",
      "--set",
      `journal.file=${journal}`,
    ],
    { RIGWATCH_TEST_SEAM: JSON.stringify(seam) },
  );
  daemons.push(daemon);
  return daemon;
}

describe("a crash anywhere on the live path is an internal_error alarm or a non-zero exit (real process)", () => {
  it("a detector that throws: internal_error naming body, component and error; the other bodies are still watched", async () => {
    motive = await startSimulator({
      commandPort: 0,
      rateHz: 120,
      faults: everyTwoSeconds(RIGHT),
    });
    const daemon = await daemonWith({ throwingTracker: "sensor_left" }, join(dir.path, "detector.sqlite"));
    await waitFor(() => daemon.raised("internal_error").length > 0, "the internal_error alarm", 10_000);
    expect(daemon.raised("internal_error")).toEqual([
      expect.objectContaining({
        id: "internal_error:sensor_left:1",
        severity: "critical",
        subject: "sensor_left",
        detail: {
          component: "OtAlarmTracker",
          error: "Error: test seam: sensor_left's tracker throws",
          count: 1,
        },
      }),
    ]);
    // The same alarm on /ws, and sensor_right's tracking losses still alarmed.
    await waitFor(
      () => daemon.messages.some((m) => m.type === "alarm" && m.kind === "internal_error"),
      "internal_error on /ws",
      5000,
    );
    await waitFor(
      () => daemon.raised("ot_loss", "sensor_right").length >= 2,
      "sensor_right's ot_loss",
      10_000,
    );
    expect(daemon.raised("ot_loss", "sensor_left")).toEqual([]);
    // Every throw is counted (the tracker is reset and throws again on the next sample), logged once.
    const logged = daemon.logs.filter(
      (l) => l.msg === "internal error contained: OtAlarmTracker of sensor_left reset",
    );
    expect(logged.length).toBeGreaterThanOrEqual(1);
    expect(logged[0]).toMatchObject({
      level: 50,
      subject: "sensor_left",
      component: "OtAlarmTracker",
      count: 1,
    });
    const metrics = await (await fetch(`http://127.0.0.1:${daemon.port}/metrics`)).text();
    const count = Number(
      /rigwatch_internal_errors_total\{subject="sensor_left",component="OtAlarmTracker"\} (\d+)/.exec(
        metrics,
      )?.[1],
    );
    expect(count).toBeGreaterThan(100); // 120 Hz for seconds
    expect(daemon.child.exitCode).toBe(null);
  }, 30_000);

  it("a sink that throws: internal_error naming the sink; the alarm still reaches stdout, /ws and the journal", async () => {
    motive = await startSimulator({
      commandPort: 0,
      rateHz: 120,
      faults: everyTwoSeconds(LEFT),
    });
    const journal = join(dir.path, "sink.sqlite");
    const daemon = await daemonWith({ throwingSink: "flaky" }, journal);
    await waitFor(() => daemon.raised("ot_loss", "sensor_left").length >= 1, "ot_loss", 10_000);
    await waitFor(
      () => daemon.raised("internal_error", "flaky").length === 1,
      "the sink's internal_error",
      5000,
    );
    expect(daemon.raised("internal_error", "flaky")[0]).toMatchObject({
      id: "internal_error:flaky:1",
      severity: "critical",
      detail: {
        component: "sink",
        error: "Error: test seam: sink flaky refuses ot_loss:sensor_left:1",
        count: 1,
      },
    });
    await waitFor(
      () =>
        daemon.messages.some(
          (m) => m.type === "alarm" && m.kind === "ot_loss" && m.subject === "sensor_left",
        ),
      "ot_loss on /ws",
      5000,
    );
    const listed = spawnSync(
      process.execPath,
      [CLI, "alarms", "--json", "--set", `journal.file=${journal}`],
      {
        encoding: "utf8",
      },
    );
    expect(listed.status).toBe(0);
    const rows = listed.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { id: string; state: string });
    expect(rows.map((r) => `${r.id} ${r.state}`).slice(0, 2)).toEqual([
      "ot_loss:sensor_left:1 raised",
      "internal_error:flaky:1 raised",
    ]);
  }, 30_000);

  it("when the live pipeline cannot go on: fatal log line, the page told, journal closed, exit 70 within 1 s", async () => {
    motive = await startSimulator({ commandPort: 0, rateHz: 120 });
    const journal = join(dir.path, "fatal.sqlite");
    const daemon = await daemonWith({ uncaughtAfterMs: 1500 }, journal);
    const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
      daemon.child.once("exit", (code) => resolve({ code, at: Date.now() })),
    );
    const { code, at } = await exited;
    expect(code).toBe(70);
    const fatal = daemon.logs.find((l) => l.level === 60);
    expect(fatal).toMatchObject({
      msg: "live pipeline lost: uncaught exception; exiting so the service manager restarts rigwatch",
      err: { message: "test seam: an exception nothing catches" },
    });
    expect(at - Number(fatal?.time)).toBeLessThan(1000);
    expect(daemon.messages).toContainEqual({ type: "daemon", state: "failed", reason: "uncaught exception" });
    expect(existsSync(`${journal}-wal`)).toBe(false); // checkpointed and closed
  }, 30_000);
});
