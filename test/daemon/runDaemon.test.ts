import { Writable } from "node:stream";
import { Subject } from "rxjs";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { waitFor } from "../helpers/waitFor.js";
import { defaultConfig } from "../../config/index.js";
import type { LiveInput } from "../../detectors/samples.js";
import { type RunningDaemon, runDaemon } from "../../daemon/runDaemon.js";
import { createLog } from "../../sinks/log.js";
import { WebSocketHub } from "../../sinks/WebSocketHub.js";
import type { HubMessage } from "../../daemon/hubMessages.js";

let hub: WebSocketHub<HubMessage> | undefined;
let daemon: RunningDaemon | undefined;
afterEach(async () => {
  daemon?.stop();
  await hub?.close();
});

describe("runDaemon", () => {
  it("sends the same alarm to the log, the WebSocket hub and the JSON lines, and keeps the board", async () => {
    const logLines: string[] = [];
    const log = createLog(
      "info",
      new Writable({ write: (chunk, _e, done) => (logLines.push(String(chunk)), done()) }),
    );
    const jsonLines: string[] = [];
    let board: () => HubMessage[] = () => [];
    hub = await WebSocketHub.start<HubMessage>({ port: 0, page: () => "", snapshot: () => board() });
    const inputs = new Subject<LiveInput>();
    daemon = runDaemon(
      inputs,
      defaultConfig(),
      { log, hub, jsonLines: (l) => jsonLines.push(l) },
      { fps: 30, wallNow: () => new Date("2026-11-23T12:00:00Z") },
    );
    board = () => daemon?.board.active() ?? [];
    const ws = new WebSocket(`ws://127.0.0.1:${hub.port}/ws`);
    const received: { kind: string; state: string }[] = [];
    // Every connection opens with the hub's hello; the alarms follow it.
    ws.on("message", (data) => {
      const m = JSON.parse(String(data));
      if (m.type !== "hello") received.push(m);
    });
    await new Promise((r) => ws.once("open", r));

    // 120 Hz samples, the tracking-valid bit clear from the 10th on: a critical ot_loss at once.
    for (let i = 0; i < 60; i++) {
      inputs.next({
        type: "pose",
        sample: {
          body: "sensor_left",
          t: 100 + i / 120,
          rx: performance.now() / 1000,
          position: [i / 1000, 0, 0],
          quaternion: [0, 0, 0, 1],
          valid: i < 10,
        },
      });
    }
    await waitFor(() => received.length === 1, "the alarm on /ws");
    const expected = {
      type: "alarm",
      id: "ot_loss:sensor_left:1",
      kind: "ot_loss",
      state: "raised",
      severity: "critical",
      subject: "sensor_left",
      t: 100 + 10 / 120, // the first sample with the bit clear
      at: "2026-11-23T12:00:00.000Z",
      detail: { reason: "invalid", valid: false },
    };
    expect(received).toEqual([expected]);
    expect(jsonLines.map((l) => JSON.parse(l))).toEqual([expected]);
    await waitFor(() => logLines.length === 1, "the log line");
    expect(JSON.parse(logLines[0] as string)).toMatchObject({
      level: 50,
      app: "rigwatch",
      alarm: expected,
      msg: "ot_loss raised: sensor_left",
    });

    // A page that connects now is shown the alarm still raised.
    const late = new WebSocket(`ws://127.0.0.1:${hub.port}/ws`);
    const snapshot: unknown[] = [];
    late.on("message", (data) => {
      const m = JSON.parse(String(data));
      if (m.type !== "hello") snapshot.push(m);
    });
    await waitFor(() => snapshot.length === 1, "the snapshot");
    expect(snapshot).toEqual([expected]);
    ws.close();
    late.close();
  });
});
