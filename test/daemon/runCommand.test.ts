import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { natnetVersion } from "../../hw/natnet/index.js";
import { PROJECT_ROOT } from "../helpers/paths.js";
import { frameOf, rigidBody, TestServer, waitFor } from "../natnet/client/helpers/TestServer.js";

const CLI = join(PROJECT_ROOT, "dist/cli/cli.js");
let daemon: ChildProcessWithoutNullStreams | undefined;
let server: TestServer | undefined;
afterEach(async () => {
  daemon?.kill("SIGKILL");
  await server?.stop();
});

describe("rigwatch run (real process, NatNet over UDP on loopback)", () => {
  it("raises ot_loss on the first frame a body's valid bit clears: on stdout (--json), in the log and on /ws", async () => {
    server = new TestServer(natnetVersion(3, 0), [
      { id: 2, name: "sensor_left" },
      { id: 3, name: "sensor_right" },
    ]);
    await server.start();
    daemon = spawn(process.execPath, [
      CLI,
      "run",
      "--json",
      "--natnet-server",
      "127.0.0.1",
      "--natnet-command-port",
      String(server.port),
      "--port",
      "0",
      "--tap-alarms",
      "tcp://127.0.0.1:*",
      // The frames come as fast as the test's loop runs: on a loaded machine a pause between two can
      // pass OT's 0.1 s silence rule. This test is about the valid bit, so silence waits 10 s here.
      "--set",
      "detect.otGapS=10",
    ]);
    const stdout: string[] = [];
    const stderr: string[] = [];
    daemon.stdout.on("data", (d) => stdout.push(...String(d).split("\n").filter(Boolean)));
    daemon.stderr.on("data", (d) => stderr.push(...String(d).split("\n").filter(Boolean)));
    const logLines = () => stderr.filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
    const listening = () => logLines().find((l) => l.msg === "rigwatch daemon listening");
    await waitFor(() => listening() !== undefined && server?.client !== undefined, "daemon to connect");

    const ws = new WebSocket(`ws://127.0.0.1:${listening().port}/ws`);
    const messages: { type: string; kind?: string; state?: string; subject?: string }[] = [];
    ws.on("message", (d) => messages.push(JSON.parse(String(d))));
    await new Promise((r) => ws.once("open", r));

    const send = (n: number, motiveT: number, leftValid: boolean) =>
      server?.sendFrame(
        frameOf(n, motiveT, [
          rigidBody(2, [n / 1000, 0, 0], [0, 0, 0, 1], leftValid),
          rigidBody(3, [0, n / 1000, 0], [0, 0, 0, 1], true),
        ]),
      );
    // Motive's clock starts at 50 s and runs with the wall clock until the daemon reports both bodies.
    let n = 0;
    const firstSentAt = Date.now() / 1000;
    await waitFor(
      () => (
        send(n++, 50 + (Date.now() / 1000 - firstSentAt), true),
        messages.some(
          (m) => m.type === "health" && Object.keys((m as { bodies?: object }).bodies ?? {}).length === 2,
        )
      ),
      "health for both bodies",
    );
    const healthAt = Date.now() / 1000;
    // Then a frame stamped half a second ahead of the wall clock: the alarm keeps Motive's time.
    const lostT = 50 + (healthAt - firstSentAt) + 0.5;
    send(n++, lostT, false);
    await waitFor(() => stdout.length > 0 && messages.some((m) => m.type === "alarm"), "the alarm");
    const alarm = JSON.parse(stdout[0] as string);
    expect(alarm).toMatchObject({
      type: "alarm",
      id: "ot_loss:sensor_left:1",
      kind: "ot_loss",
      state: "raised",
      severity: "critical",
      subject: "sensor_left",
      detail: { reason: "invalid", valid: false },
    });
    // Motive's clock is put on the wall clock, anchored at the frames' arrival (sent from firstSentAt
    // on, all in before healthAt) and keeping Motive's spacing since: the offset slews 1 ms per second
    // of Motive's time at most. The daemon's receive clock is its performance.timeOrigin + now(), which
    // a process started on a busy machine sets a few ms off this process's Date.now(): 0.1 s more.
    // (Stamped on receipt instead, the alarm would sit half a second before the bracket.)
    const anchor = alarm.t - (lostT - 50);
    const slew = 0.001 * (lostT - 50) + 0.1;
    expect(anchor).toBeGreaterThanOrEqual(firstSentAt - slew);
    expect(anchor).toBeLessThanOrEqual(healthAt + slew);
    expect(messages.find((m) => m.type === "alarm")).toEqual(alarm);
    expect(logLines().find((l) => l.alarm)?.alarm).toEqual(alarm);

    // Valid frames again, 1/120 s apart in Motive's time but sent at once: cleared after the hysteresis
    // (0.2 s of source time from the first valid frame), on the 25th or 26th frame after the loss
    // (the offset's slew of ±0.1 % of the spacing decides which).
    for (let k = 1; k <= 40; k++) send(n++, lostT + k / 120, true);
    await waitFor(() => stdout.length === 2, "the clear");
    const cleared = JSON.parse(stdout[1] as string);
    expect(cleared).toMatchObject({ id: "ot_loss:sensor_left:1", state: "cleared" });
    expect(cleared.t - alarm.t).toBeGreaterThanOrEqual((25 / 120) * 0.999);
    expect(cleared.t - alarm.t).toBeLessThanOrEqual((26 / 120) * 1.001);

    daemon.kill("SIGTERM");
    const code = await new Promise((r) => daemon?.once("exit", r));
    expect(code).toBe(0);
    ws.close();
  }, 60_000);
});
