import { FoxgloveClient } from "@foxglove/ws-protocol";
import type { Channel, MessageData } from "@foxglove/ws-protocol";
import protobuf from "protobufjs";
import "protobufjs/ext/descriptor.js";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { freePort } from "../helpers/freePort.js";
import { waitFor } from "../helpers/waitFor.js";
import { FoxgloveLiveServer } from "../../sinks/foxglove/FoxgloveLiveServer.js";
import { WebSocketHub } from "../../sinks/WebSocketHub.js";
import { DaemonProcess } from "./DaemonProcess.js";

let daemon: DaemonProcess | undefined;
const clients: FoxgloveClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await daemon?.stop();
  daemon = undefined;
});

interface Received {
  channel: Channel;
  message: Record<string, unknown>;
  logTime: bigint;
}

/** Foxglove's own client on /foxglove; every message decoded from the schema its channel advertised. */
function connect(port: number, path = "/foxglove", headers: Record<string, string> = {}) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, [FoxgloveClient.SUPPORTED_SUBPROTOCOL], {
    headers,
  });
  const client = new FoxgloveClient({
    ws: ws as unknown as ConstructorParameters<typeof FoxgloveClient>[0]["ws"],
  });
  clients.push(client);
  const channels = new Map<number, Channel>();
  const types = new Map<number, protobuf.Type>();
  const bySubscription = new Map<number, Channel>();
  const received: Received[] = [];
  const events = { open: false, closed: false, serverName: "" };
  client.on("open", () => (events.open = true));
  client.on("close", () => (events.closed = true));
  client.on("serverInfo", (info) => (events.serverName = info.name));
  client.on("advertise", (advertised) => {
    for (const channel of advertised) {
      channels.set(channel.id, channel);
      if (channel.encoding === "protobuf") {
        const root = protobuf.Root.fromDescriptor(Buffer.from(channel.schema, "base64"), { keepCase: true });
        types.set(channel.id, root.lookupType(channel.schemaName));
      }
      bySubscription.set(client.subscribe(channel.id), channel);
    }
  });
  client.on("message", (m: MessageData) => {
    const channel = bySubscription.get(m.subscriptionId) as Channel;
    const bytes = new Uint8Array(m.data.buffer, m.data.byteOffset, m.data.byteLength);
    const type = types.get(channel.id);
    const message = type
      ? (type.toObject(type.decode(bytes), { longs: Number, enums: Number, defaults: true }) as Record<
          string,
          unknown
        >)
      : (JSON.parse(Buffer.from(bytes).toString("utf8")) as Record<string, unknown>);
    received.push({ channel, message, logTime: m.timestamp });
  });
  return { client, channels, received, events };
}

describe("the daemon speaks the Foxglove WebSocket protocol (rigwatch run --sim, real process)", () => {
  it("streams poses, frames, thumbnails, stream health and an alarm to Foxglove's own client", async () => {
    daemon = await DaemonProcess.start([
      "--sim",
      "--tap-alarms",
      `tcp://127.0.0.1:${await freePort()}`,
      "--set",
      "stages.auto=false",
    ]);
    const foxglove = connect(daemon.port as number);
    const on = (topic: string) => foxglove.received.filter((r) => r.channel.topic === topic);
    // The demo schedule's first fault: sensor_left loses tracking 5 s in (sim/simulatedRig.ts).
    await waitFor(
      () => on("/alarms").length > 0 && on("/optitrack/sensor_left/pose").length > 0,
      "a pose and an alarm on /foxglove",
      60_000,
    );
    expect(foxglove.events.serverName).toBe("rigwatch");

    const pose = on("/optitrack/sensor_left/pose")[0] as Received;
    expect(pose.channel).toMatchObject({ encoding: "protobuf", schemaName: "foxglove.PoseInFrame" });
    expect(pose.message.frame_id).toBe("mocap");
    const position = (pose.message.pose as { position: Record<string, number> }).position;
    expect(Object.keys(position).sort()).toEqual(["x", "y", "z"]);
    const stamp = pose.message.timestamp as { seconds: number; nanos: number };
    expect(BigInt(stamp.seconds) * 1_000_000_000n + BigInt(stamp.nanos)).toBe(pose.logTime);
    // Motive's clock is put on the wall clock, like the alarms'.
    expect(Math.abs(stamp.seconds - Date.now() / 1000)).toBeLessThan(60);

    const alarm = on("/alarms")[0] as Received;
    expect(alarm.channel.schemaName).toBe("foxglove.Log");
    // The same alarm the daemon printed (--json): kind, state and id.
    const [state, id] = String(alarm.message.message).split(" ");
    // stdout and /foxglove are two channels read apart: the printed line may come second.
    await waitFor(
      () => daemon?.alarms.some((a) => a.id === id && a.state === state) ?? false,
      "the same alarm on stdout",
    );
    const printed = daemon.alarms.find((a) => a.id === id && a.state === state);
    expect(printed).toBeDefined();
    expect(alarm.message.name).toBe(`alarm/${String(printed?.kind)}`);
    expect(alarm.logTime).toBe(
      BigInt(Math.floor(printed?.t as number)) * 1_000_000_000n +
        BigInt(Math.round(((printed?.t as number) % 1) * 1e9)),
    );

    await waitFor(
      () =>
        on("/tap/cam0/thumbnail").length > 0 &&
        on("/rigwatch/streams").length > 0 &&
        on("/tf").some(
          (r) => (r.message.transforms as { child_frame_id: string }[])[0]?.child_frame_id === "sensor_right",
        ),
      "a thumbnail, stream health and a body frame",
      30_000,
    );
    const thumb = on("/tap/cam0/thumbnail")[0] as Received;
    expect(thumb.channel.schemaName).toBe("foxglove.RawImage");
    expect(thumb.message).toMatchObject({
      width: 128,
      height: 128,
      encoding: "bgr8",
      step: 384,
      frame_id: "cam0",
    });
    expect((thumb.message.data as Uint8Array).length).toBe(128 * 128 * 3);
    const health = on("/rigwatch/streams")[0] as Received;
    expect(health.channel).toMatchObject({ encoding: "json", schemaEncoding: "jsonschema" });
    expect(health.message.type).toBe("streams");
    expect(Object.keys(health.message.streams as object).sort()).toEqual([
      "cam0",
      "cam1",
      "cam2",
      "gel_left",
      "gel_right",
    ]);
  }, 120_000);

  it("refuses a browser page of another origin, and answers a typo'd path with 404", async () => {
    daemon = await DaemonProcess.start(["--tap-alarms", "tcp://127.0.0.1:*", "--set", "stages.auto=false"]);
    const port = daemon.port as number;
    const status = (path: string, origin?: string) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, [FoxgloveClient.SUPPORTED_SUBPROTOCOL], {
          headers: origin ? { origin } : {},
        });
        ws.on("open", () => (ws.close(), resolve(101)));
        ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
        ws.on("error", () => undefined);
      });
    expect(await status("/foxglove", "https://evil.example")).toBe(403);
    expect(await status("/foxglove", "https://app.foxglove.dev")).toBe(101);
    expect(await status("/foxglove")).toBe(101);
    expect(await status("/foxglov")).toBe(404);
  }, 60_000);

  it("asks for the page's token when the daemon serves the network", async () => {
    const foxglove = new FoxgloveLiveServer({ origins: [], now: () => 0 });
    const hub = await WebSocketHub.start({
      port: 0,
      host: "127.0.0.1",
      token: "s3cret",
      page: () => "",
      snapshot: () => [],
      sockets: [foxglove.socket],
    });
    try {
      const status = (query: string) =>
        new Promise<number>((resolve) => {
          const ws = new WebSocket(`ws://127.0.0.1:${hub.port}/foxglove${query}`, [
            FoxgloveClient.SUPPORTED_SUBPROTOCOL,
          ]);
          ws.on("open", () => (ws.close(), resolve(101)));
          ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
          ws.on("error", () => undefined);
        });
      expect(await status("")).toBe(401);
      expect(await status("?token=wrong")).toBe(401);
      expect(await status("?token=s3cret")).toBe(101);
    } finally {
      foxglove.close();
      await hub.close();
    }
  });
});
