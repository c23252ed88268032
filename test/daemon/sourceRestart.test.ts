import type dgram from "node:dgram";
import { Writable } from "node:stream";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { Subscriber } from "zeromq";
import { loadConfig } from "../../config/index.js";
import { type LiveDaemon, startLiveDaemon } from "../../daemon/startLiveDaemon.js";
import type { Alarm } from "../../detectors/alarm.js";
import { type MotiveSimulator, startSimulator } from "../../sim/motive/index.js";
import { TapSimulator } from "../../sim/recorder/TapSimulator.js";
import { createLog } from "../../sinks/log.js";
import { freePort } from "../helpers/freePort.js";
import { tempDir } from "../helpers/paths.js";
import { waitFor, waitForAsync } from "../helpers/waitFor.js";

let daemon: LiveDaemon | undefined;
let motive: MotiveSimulator | undefined;
let recorder: TapSimulator | undefined;
const dir = tempDir();
afterEach(async () => {
  await daemon?.close();
  await recorder?.close();
  await motive?.close();
  daemon = undefined;
});
afterAll(() => dir.cleanup());

/** The live daemon in this process on the simulated Motive and recorder; alarms as they go out. */
async function start(): Promise<{ alarms: Alarm[]; logs: Record<string, unknown>[] }> {
  // sensor_left loses tracking for 0.3 s every 2 s: OT is seen to be watched before and after a restart.
  const faults = Array.from({ length: 14 }, (_, i) => ({
    fault: "trackingLost" as const,
    body: 2,
    at: 3 + 2 * i,
    durationS: 0.3,
  }));
  motive = await startSimulator({ commandPort: 0, rateHz: 120, faults });
  recorder = await TapSimulator.start({ endpoint: `tcp://127.0.0.1:${await freePort()}` });
  const config = loadConfig({
    sets: [
      "daemon.port=0",
      `natnet.commandPort=${motive.port}`,
      `tap.endpoint=${recorder.endpoint}`,
      `tap.alarmEndpoint=tcp://127.0.0.1:${await freePort()}`,
      `journal.file=${dir.path}/${Math.random().toString(36).slice(2)}.sqlite`,
      "stages.auto=false",
    ],
  });
  const alarms: Alarm[] = [];
  const logs: Record<string, unknown>[] = [];
  const log = createLog(
    "info",
    new Writable({ write: (chunk, _e, done) => (logs.push(JSON.parse(String(chunk))), done()) }),
  );
  daemon = await startLiveDaemon(config, log, { jsonLines: (line) => alarms.push(JSON.parse(line)) });
  return { alarms, logs };
}

const of = (alarms: Alarm[], kind: string, subject: string, state: string) =>
  alarms.filter((a) => a.kind === kind && a.subject === subject && a.state === state);

describe("a live source whose socket dies is restarted, never the end of the live stream", () => {
  it("NatNet: stream_stale on natnet while it restarts, cleared once Motive answers the new client; OT watched again", async () => {
    const { alarms, logs } = await start();
    const live = daemon as LiveDaemon;
    await waitFor(() => live.natnet.current?.currentStatus.state === "connected", "natnet connected", 10_000);
    const first = live.natnet.current;
    // Kill the client's UDP socket under it.
    (first as unknown as { commandSocket: dgram.Socket }).commandSocket.close();

    await waitFor(() => of(alarms, "stream_stale", "natnet", "raised").length === 1, "natnet stale", 5000);
    expect(of(alarms, "stream_stale", "natnet", "raised")[0]).toMatchObject({
      id: "stream_stale:natnet:1",
      severity: "critical",
      detail: { reason: "source lost" },
    });
    await waitFor(
      () => of(alarms, "stream_stale", "natnet", "cleared").length === 1,
      "natnet restarted",
      10_000,
    );
    expect(live.natnet.current).not.toBe(first);
    expect(live.natnet.restarts).toBe(1);
    expect(logs.some((l) => l.msg === "natnet source failed; restarting" && l.level === 50)).toBe(true);

    // The restarted client is watched like the first: a tracking loss is alarmed.
    const before = of(alarms, "ot_loss", "sensor_left", "raised").length;
    await waitFor(
      () => of(alarms, "ot_loss", "sensor_left", "raised").length === before + 1,
      "ot_loss after the restart",
      5000,
    );
    expect((await live.metrics.text()).body).toContain('rigwatch_source_restarts_total{source="natnet"} 1');
  }, 30_000);

  it("tap: stream_stale on tap while its ZeroMQ socket is replaced, cleared by the new socket's first message", async () => {
    const { alarms } = await start();
    const live = daemon as LiveDaemon;
    await waitFor(() => live.tap.current?.status.state === "connected", "tap connected", 10_000);
    const first = live.tap.current;
    (first as unknown as { socket: Subscriber }).socket.close();

    await waitFor(() => of(alarms, "stream_stale", "tap", "raised").length === 1, "tap stale", 5000);
    await waitFor(() => of(alarms, "stream_stale", "tap", "cleared").length === 1, "tap found again", 10_000);
    expect(live.tap.current).not.toBe(first);
    expect(live.tap.restarts).toBe(1);
    // The replacement delivers: tap messages are counted again.
    const counted = async () =>
      Number(/rigwatch_tap_messages_total (\d+)/.exec((await live.metrics.text()).body)?.[1]);
    const atClear = await counted();
    await waitForAsync(async () => (await counted()) > atClear, "tap messages after the restart", 5000);
  }, 30_000);
});
