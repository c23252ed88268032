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
    ]);
    const stdout: string[] = [];
    const stderr: string[] = [];
    daemon.stdout.on("data", (d) => stdout.push(...String(d).split("\n").filter(Boolean)));
    daemon.stderr.on("data", (d) => stderr.push(...String(d).split("\n").filter(Boolean)));
    const logLines = () => stderr.filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
    const listening = () => logLines().find((l) => l.msg === "rigwatch daemon listening");
    await waitFor(
      () => listening() !== undefined && server?.client !== undefined,
      "daemon to connect",
      10_000,
    );

    const ws = new WebSocket(`ws://127.0.0.1:${listening().port}/ws`);
    const messages: { type: string; kind?: string; state?: string; subject?: string }[] = [];
    ws.on("message", (d) => messages.push(JSON.parse(String(d))));
    await new Promise((r) => ws.once("open", r));

    const send = (n: number, leftValid: boolean) =>
      server?.sendFrame(
        frameOf(n, 50 + n / 120, [
          rigidBody(2, [n / 1000, 0, 0], [0, 0, 0, 1], leftValid),
          rigidBody(3, [0, n / 1000, 0], [0, 0, 0, 1], true),
        ]),
      );
    let n = 0;
    const firstSentAt = Date.now() / 1000;
    await waitFor(
      () => (
        send(n++, true),
        messages.some(
          (m) => m.type === "health" && Object.keys((m as { bodies?: object }).bodies ?? {}).length === 2,
        )
      ),
      "health for both bodies",
      5000,
    );
    send(n++, false);
    await waitFor(() => stdout.length > 0 && messages.some((m) => m.type === "alarm"), "the alarm", 5000);
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
    // Motive's clock (50 s + n/120) is put on the wall clock camera ticks carry, anchored at the
    // first frame and keeping Motive's spacing (the frames here come faster than real time).
    expect(alarm.t - firstSentAt).toBeGreaterThan((n - 1) / 120 - 0.05);
    expect(alarm.t - firstSentAt).toBeLessThan((n - 1) / 120 + 0.05);
    expect(messages.find((m) => m.type === "alarm")).toEqual(alarm);
    expect(logLines().find((l) => l.alarm)?.alarm).toEqual(alarm);

    // Valid frames again: cleared after the hysteresis (0.2 s of source time).
    for (let i = 0; i < 40; i++) send(n++, true);
    await waitFor(() => stdout.length === 2, "the clear", 5000);
    expect(JSON.parse(stdout[1] as string)).toMatchObject({ id: "ot_loss:sensor_left:1", state: "cleared" });

    daemon.kill("SIGTERM");
    const code = await new Promise((r) => daemon?.once("exit", r));
    expect(code).toBe(0);
    ws.close();
  }, 30_000);
});
