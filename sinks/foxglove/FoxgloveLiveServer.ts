import type { IncomingMessage } from "node:http";
import { createRequire } from "node:module";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";
import type { Alarm } from "../../detectors/alarm.js";
import type { PoseSample } from "../../detectors/samples.js";
import type { HubSocket } from "../WebSocketHub.js";
import { type FoxgloveSchema, foxgloveSchema } from "./foxgloveSchema.js";
import { LIVE_JSON_SCHEMAS } from "./liveJsonSchemas.js";
import { alarmLogEntry, logMessage } from "./logEntry.js";
import { toNanoseconds, toProtoTimestamp } from "./time.js";

export interface FoxgloveLiveOptions {
  /** Browser origins that may connect besides the page's own (Foxglove's web app). */
  readonly origins: readonly string[];
  /** The receive clock (Unix seconds), for the health messages' stamps. */
  readonly now: () => number;
  /** A client this far behind is dropped (Foxglove reconnects) rather than buffered. */
  readonly maxBufferedBytes?: number;
}

/** Where each kind of live data goes; poses and thumbnails have one topic per body and stream. */
export const liveTopics = {
  pose: (body: string) => `/optitrack/${body}/pose`,
  transforms: "/tf",
  thumbnail: (stream: string) => `/tap/${stream}/thumbnail`,
  alarms: "/alarms",
  streams: "/rigwatch/streams",
  bodies: "/rigwatch/bodies",
} as const satisfies Record<string, unknown>;

// CommonJS whose named exports Node's ESM loader cannot detect, hence require.
const { FoxgloveServer } = createRequire(import.meta.url)(
  "@foxglove/ws-protocol",
) as typeof import("@foxglove/ws-protocol");

const PATH = "/foxglove";
const THUMB_SIZE = 128;

/**
 * The live rig in the Foxglove WebSocket protocol (`@foxglove/ws-protocol`), at /foxglove on the
 * daemon's port: OT poses (foxglove.PoseInFrame, and each body in /tf), the tap's thumbnails
 * (foxglove.RawImage), the alarms (foxglove.Log, raised and cleared) and the health lines the page
 * gets (JSON). Topics are advertised as their first message arrives; a message is encoded only
 * while someone is subscribed to its topic. Read-only: no client publishing, no services.
 */
export class FoxgloveLiveServer {
  readonly socket: HubSocket;
  readonly #server = new FoxgloveServer({ name: "rigwatch" });
  readonly #wss: WebSocketServer;
  readonly #channels = new Map<string, number>();
  readonly #poseTopics = new Map<string, string>();
  readonly #thumbnailTopics = new Map<string, string>();
  readonly #subscribed = new Set<number>();
  readonly #limit: number;
  #dropped = 0;

  constructor(private readonly options: FoxgloveLiveOptions) {
    this.#limit = options.maxBufferedBytes ?? 8 * 1024 * 1024;
    this.#wss = new WebSocketServer({
      noServer: true,
      maxPayload: 64 * 1024,
      handleProtocols: (protocols) => this.#server.handleProtocols(protocols),
    });
    this.#server.on("subscribe", (id) => this.#subscribed.add(id));
    this.#server.on("unsubscribe", (id) => this.#subscribed.delete(id));
    // A client's malformed message is that client's problem: the protocol answers it with a status.
    this.#server.on("error", () => undefined);
    // Known before any data: advertised at once, so a client subscribed early misses no alarm.
    this.#protobufChannel(liveTopics.alarms, foxgloveSchema("Log"));
    this.#protobufChannel(liveTopics.transforms, foxgloveSchema("FrameTransforms"));
    this.#jsonChannel(liveTopics.streams);
    this.#jsonChannel(liveTopics.bodies);
    this.socket = {
      path: PATH,
      origins: options.origins,
      accept: (req: IncomingMessage, socket: Duplex, head: Buffer) =>
        this.#wss.handleUpgrade(req, socket, head, (ws) => this.#welcome(ws, req)),
    };
  }

  get clients(): number {
    return this.#wss.clients.size;
  }

  /** Clients cut off for falling behind. */
  get droppedClients(): number {
    return this.#dropped;
  }

  /** An OT sample, `t` on the wall clock (the alarms' clock). */
  pose(sample: PoseSample): void {
    // 720 samples a second: nothing is built unless someone listens (a topic per body, named once).
    let poseTopic = this.#poseTopics.get(sample.body);
    if (poseTopic === undefined)
      this.#poseTopics.set(sample.body, (poseTopic = liveTopics.pose(sample.body)));
    const poseSchema = foxgloveSchema("PoseInFrame");
    const tfSchema = foxgloveSchema("FrameTransforms");
    const toPose = this.#wanted(poseTopic, poseSchema);
    const toTf = sample.valid && this.#wanted(liveTopics.transforms, tfSchema);
    if (!toPose && !toTf) return;
    const [x, y, z] = sample.position;
    const [qx, qy, qz, qw] = sample.quaternion;
    const timestamp = toProtoTimestamp(sample.t);
    const position = { x, y, z };
    const orientation = { x: qx, y: qy, z: qz, w: qw };
    if (toPose)
      this.#send(poseTopic, poseSchema, sample.t, () => ({
        timestamp,
        frame_id: "mocap",
        pose: { position, orientation },
      }));
    if (toTf)
      this.#send(liveTopics.transforms, tfSchema, sample.t, () => ({
        transforms: [
          {
            timestamp,
            parent_frame_id: "mocap",
            child_frame_id: sample.body,
            translation: position,
            rotation: orientation,
          },
        ],
      }));
  }

  /** A tap thumbnail: 128×128×3 in the stream's byte order, `t` the recorder's tick time. */
  thumbnail(stream: string, order: "BGR" | "RGB", thumb: Uint8Array, t: number): void {
    let topic = this.#thumbnailTopics.get(stream);
    if (topic === undefined) this.#thumbnailTopics.set(stream, (topic = liveTopics.thumbnail(stream)));
    const schema = foxgloveSchema("RawImage");
    if (!this.#wanted(topic, schema)) return;
    this.#send(topic, schema, t, () => ({
      timestamp: toProtoTimestamp(t),
      frame_id: stream,
      width: THUMB_SIZE,
      height: THUMB_SIZE,
      encoding: order === "BGR" ? "bgr8" : "rgb8",
      step: THUMB_SIZE * 3,
      data: thumb,
    }));
  }

  /** A message the hub broadcasts: alarms and the health lines go on to Foxglove. */
  hubMessage(message: object): void {
    const { type } = message as { type?: unknown };
    if (type === "alarm") {
      const entry = alarmLogEntry(message as Alarm);
      this.#send(liveTopics.alarms, foxgloveSchema("Log"), entry.t, () => logMessage(entry));
    } else if (type === "streams" || type === "health") {
      const topic = type === "streams" ? liveTopics.streams : liveTopics.bodies;
      this.#sendJson(topic, this.options.now(), message);
    }
  }

  close(): void {
    for (const client of this.#wss.clients) client.close(1001, "rigwatch is stopping");
    this.#wss.close();
  }

  #welcome(ws: WebSocket, req: IncomingMessage): void {
    ws.on("error", () => ws.terminate());
    this.#server.handleConnection(ws, `${req.socket.remoteAddress ?? "?"}:${req.socket.remotePort ?? "?"}`);
  }

  /** The topic's channel (advertised on first use, as every topic is) has a subscriber. */
  #wanted(topic: string, schema: FoxgloveSchema): boolean {
    return this.#subscribed.has(this.#channels.get(topic) ?? this.#protobufChannel(topic, schema));
  }

  #send(topic: string, schema: FoxgloveSchema, t: number, message: () => object): void {
    const channel = this.#channels.get(topic) ?? this.#protobufChannel(topic, schema);
    if (!this.#subscribed.has(channel)) return;
    this.#dropSlowClients();
    this.#server.sendMessage(channel, toNanoseconds(t), schema.type.encode(message()).finish());
  }

  #sendJson(topic: keyof typeof LIVE_JSON_SCHEMAS, t: number, message: object): void {
    const channel = this.#jsonChannel(topic);
    if (!this.#subscribed.has(channel)) return;
    this.#dropSlowClients();
    this.#server.sendMessage(channel, toNanoseconds(t), Buffer.from(JSON.stringify(message)));
  }

  #protobufChannel(topic: string, schema: FoxgloveSchema): number {
    return this.#channel(topic, () => ({
      encoding: "protobuf",
      schemaName: schema.name,
      schema: Buffer.from(schema.data).toString("base64"),
      schemaEncoding: "protobuf",
    }));
  }

  #jsonChannel(topic: keyof typeof LIVE_JSON_SCHEMAS): number {
    return this.#channel(topic, () => ({
      encoding: "json",
      schemaName: LIVE_JSON_SCHEMAS[topic].title,
      schema: JSON.stringify(LIVE_JSON_SCHEMAS[topic]),
      schemaEncoding: "jsonschema",
    }));
  }

  #channel(
    topic: string,
    describe: () => { encoding: string; schemaName: string; schema: string; schemaEncoding: string },
  ): number {
    let id = this.#channels.get(topic);
    if (id === undefined) {
      id = this.#server.addChannel({ topic, ...describe() });
      this.#channels.set(topic, id);
    }
    return id;
  }

  /** ws-protocol buffers without bound; a client that cannot keep up is cut off instead. */
  #dropSlowClients(): void {
    for (const client of this.#wss.clients) {
      if (client.bufferedAmount > this.#limit) {
        this.#dropped++;
        client.terminate();
      }
    }
  }
}
