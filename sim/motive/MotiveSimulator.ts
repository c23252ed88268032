import dgram from "node:dgram";
import { rigidBodyFrame } from "../../hw/natnet/rigidBodyFrame.js";
import {
  decodePacket,
  encodeFrame,
  encodeModelDef,
  encodePacket,
  encodeServerInfo,
  type FrameOfData,
  type ModelDef,
  type NatNetMessage,
  natnetVersion,
  type NatNetVersion,
  RigidBodyParams,
  type RigidBodyData,
  type ServerInfo,
  type Vec3,
} from "../../hw/natnet/index.js";
import { flip180, type Pose, prng, RIG_BODIES, type SimBody, Trajectory } from "./trajectory.js";

export type SimNatNetVersion = "3.0" | "4.1";

export type FaultKind =
  | "trackingLost"
  | "heldPose"
  | "rest"
  | "silence"
  | "teleport"
  | "rotationFlip"
  | "serverRestart"
  | "garbage";

/** One scripted fault. `at` is simulation time (frame timestamp) in seconds. */
export interface FaultSpec {
  readonly at: number;
  readonly fault: FaultKind;
  /**
   * Body id for body faults (trackingLost, heldPose, rest, teleport, rotationFlip); default 1.
   * heldPose: Motive keeps sending the last pose while the body moves on (it jumps back at the end);
   * rest: the operator pauses, the body stops and its pose repeats bitwise, then it moves on from there.
   */
  readonly body?: number;
  /** trackingLost, heldPose, rest, silence, serverRestart: how long, seconds (default 0.5). */
  readonly durationS?: number;
  /** teleport: the jump added to the position for 2 frames (default [0.3, 0, 0] m). */
  readonly offset?: Vec3;
  /** garbage: how many random datagrams to send to each client (default 3). */
  readonly count?: number;
}

/** Ground truth of one injected fault, for latency benchmarks. */
export interface InjectedFault {
  readonly fault: FaultKind;
  readonly body: number | undefined;
  /** First frame number the fault affects (for silence/restart: the first frame not sent). */
  readonly startFrame: number;
  readonly startTimeS: number;
  /** performance.now() when the first faulty frame (or garbage datagram) was sent, or the
   * silence/restart began. */
  readonly wallSentAt: number;
}

/** Time source and timer, injectable for tests. Times in milliseconds. */
export interface SimClock {
  now(): number;
  /** Calls `fn` every `ms`; returns a cancel function. */
  every(ms: number, fn: () => void): () => void;
}

export const realClock: SimClock = {
  now: () => performance.now(),
  every(ms, fn) {
    const handle = setInterval(fn, ms);
    return () => clearInterval(handle);
  },
};

export interface MulticastOptions {
  /** Default 239.255.42.99. */
  readonly group?: string;
  /** Default 1511. */
  readonly port?: number;
  /** Local interface address to send from (setMulticastInterface). */
  readonly interface?: string;
  /** Multicast TTL (default 1). */
  readonly ttl?: number;
}

export interface MotiveSimulatorOptions {
  /** Address the command socket binds to (default 127.0.0.1). */
  readonly host?: string;
  /** Command port (default 1510; 0 = ephemeral). */
  readonly commandPort?: number;
  readonly version?: SimNatNetVersion;
  /** Frame rate (default 120). */
  readonly rateHz?: number;
  /** Default: the rig's motherboard (1), sensor_left (2), sensor_right (3). */
  readonly bodies?: readonly SimBody[];
  /** Trajectory and garbage seed (default 1). */
  readonly seed?: number;
  readonly multicast?: MulticastOptions;
  readonly faults?: readonly FaultSpec[];
  readonly clock?: SimClock;
  /** First frame number (default 1). */
  readonly firstFrame?: number;
}

/** Ticks per second of the simulated high-resolution clock. */
export const SIM_CLOCK_HZ = 10_000_000n;

const TELEPORT_FRAMES = 2;
const FLIP_FRAMES = 2;
/** Frames sent at most per timer callback; beyond that the sender skips ahead (as a stalled Motive would). */
const MAX_CATCH_UP = 32;

interface Client {
  readonly address: string;
  readonly port: number;
}

/** The faults a test can hold for as long as it needs (`MotiveSimulator.hold`). */
export type HeldFaultKind = "trackingLost" | "heldPose" | "silence";

interface ActiveFault {
  readonly spec: FaultSpec;
  readonly startFrame: number;
  endFrame: number; // exclusive; Infinity while held
  recorded: boolean;
  /** Pose frozen at the fault start (trackingLost, heldPose). */
  frozen: Pose | undefined;
}

/**
 * A Motive-like NatNet server on real UDP sockets: answers connect / model-definition / echo /
 * requests on the command port, streams frames to every connected client from the command socket
 * (unicast, as Motive does) and optionally to a multicast group, and injects scripted faults.
 */
export class MotiveSimulator {
  readonly version: NatNetVersion;
  readonly rateHz: number;
  readonly bodies: readonly SimBody[];
  readonly host: string;
  /** Ground truth of the faults injected so far, in injection order. */
  readonly injected: InjectedFault[] = [];

  private readonly trajectories: Trajectory[];
  private readonly clock: SimClock;
  private readonly faults: ActiveFault[];
  private readonly firstFrame: number;
  private readonly clients = new Map<string, Client>();
  private readonly garbageRand: () => number;
  private readonly multicast:
    (Required<Omit<MulticastOptions, "interface">> & { interface?: string }) | undefined;
  private readonly lastSent = new Map<number, Pose>();
  private requestedPort: number;
  private command: dgram.Socket | undefined;
  private data: dgram.Socket | undefined;
  private cancelTimer: (() => void) | undefined;
  private startWall = 0;
  private nextFrame = 0;
  private restartUntilFrame: number | undefined;
  private reopening = false;
  private closed = false;
  private _framesSent = 0;

  constructor(options: MotiveSimulatorOptions = {}) {
    const v = options.version ?? "4.1";
    this.version = v === "3.0" ? natnetVersion(3, 0) : natnetVersion(4, 1);
    this.rateHz = options.rateHz ?? 120;
    if (!(this.rateHz > 0 && this.rateHz <= 1000)) throw new RangeError(`rateHz ${this.rateHz} out of range`);
    this.bodies = options.bodies ?? RIG_BODIES;
    this.host = options.host ?? "127.0.0.1";
    this.requestedPort = options.commandPort ?? 1510;
    this.clock = options.clock ?? realClock;
    this.firstFrame = options.firstFrame ?? 1;
    const seed = options.seed ?? 1;
    this.trajectories = this.bodies.map((b) => new Trajectory(b, seed));
    this.garbageRand = prng(seed ^ 0x5eed);
    this.multicast = options.multicast && {
      group: options.multicast.group ?? "239.255.42.99",
      port: options.multicast.port ?? 1511,
      ttl: options.multicast.ttl ?? 1,
      ...(options.multicast.interface !== undefined ? { interface: options.multicast.interface } : {}),
    };
    this.faults = (options.faults ?? []).map((spec) => this.planFault(spec));
  }

  /** The bound command port (useful with commandPort 0). */
  get port(): number {
    return this.requestedPort;
  }

  get framesSent(): number {
    return this._framesSent;
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** Frame time in seconds (the frame's `timestamp`). */
  timeOfFrame(frameNumber: number): number {
    return (frameNumber - this.firstFrame) / this.rateHz;
  }

  /** The clean (fault-free) pose of a body at a frame: the ground truth the faults distort. */
  poseAt(bodyId: number, frameNumber: number): Pose {
    const trajectory = this.trajectories.find((t) => t.body.id === bodyId);
    if (!trajectory) throw new RangeError(`no body ${bodyId}`);
    return trajectory.poseAt(this.timeOfFrame(frameNumber));
  }

  async start(): Promise<this> {
    if (this.command) return this;
    await this.openSockets();
    this.startWall = this.clock.now();
    this.nextFrame = this.firstFrame;
    this.cancelTimer = this.clock.every(Math.max(1, Math.floor(1000 / this.rateHz / 2)), () => this.pump());
    return this;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    await this.closeSockets();
  }

  /**
   * Starts a fault on the next frame and holds it until the returned function is called; it then ends
   * on the next frame. For tests whose steps take however long a loaded machine needs: a scheduled
   * fault could end before they are done.
   */
  hold(fault: HeldFaultKind, body?: number): () => void {
    const startFrame = Math.max(this.nextFrame, this.firstFrame);
    const planned = this.planFault({ at: this.timeOfFrame(startFrame), fault, body });
    const held: ActiveFault = { ...planned, startFrame, endFrame: Number.POSITIVE_INFINITY };
    this.faults.push(held);
    return () => {
      held.endFrame = Math.max(held.startFrame, Math.min(held.endFrame, this.nextFrame));
    };
  }

  /** Sends every frame that is due by now. Called by the clock; public for manual clocks. */
  pump(): void {
    if (this.closed) return;
    const due = this.firstFrame + Math.floor(((this.clock.now() - this.startWall) / 1000) * this.rateHz);
    if (due - this.nextFrame > MAX_CATCH_UP) this.nextFrame = due - MAX_CATCH_UP;
    while (this.nextFrame <= due && !this.closed) this.step(this.nextFrame++);
  }

  private planFault(spec: FaultSpec): ActiveFault {
    if (!(Number.isFinite(spec.at) && spec.at >= 0))
      throw new RangeError(`fault ${spec.fault}: bad time ${spec.at}`);
    if (spec.durationS !== undefined && !(spec.durationS > 0)) {
      throw new RangeError(`fault ${spec.fault}: bad duration ${spec.durationS}`);
    }
    if (spec.body !== undefined && !this.bodies.some((b) => b.id === spec.body)) {
      throw new RangeError(`fault ${spec.fault}: no body ${spec.body}`);
    }
    const startFrame = this.firstFrame + Math.ceil(spec.at * this.rateHz - 1e-9);
    const durFrames = Math.max(1, Math.round((spec.durationS ?? 0.5) * this.rateHz));
    const len =
      spec.fault === "teleport"
        ? TELEPORT_FRAMES
        : spec.fault === "rotationFlip"
          ? FLIP_FRAMES
          : spec.fault === "garbage"
            ? 1
            : durFrames;
    return { spec, startFrame, endFrame: startFrame + len, recorded: false, frozen: undefined };
  }

  private record(f: ActiveFault, body: number | undefined): void {
    if (f.recorded) return;
    f.recorded = true;
    this.injected.push({
      fault: f.spec.fault,
      body,
      startFrame: f.startFrame,
      startTimeS: this.timeOfFrame(f.startFrame),
      wallSentAt: performance.now(),
    });
  }

  private step(frameNumber: number): void {
    const active = this.faults.filter((f) => frameNumber >= f.startFrame && frameNumber < f.endFrame);

    // Server restart: close at the start, reopen once the frame clock passes the end.
    if (this.restartUntilFrame !== undefined) {
      if (frameNumber < this.restartUntilFrame || this.reopening) return;
      this.restartUntilFrame = undefined;
    }
    const restart = active.find((f) => f.spec.fault === "serverRestart" && !f.recorded);
    if (restart) {
      this.record(restart, undefined);
      this.restartUntilFrame = restart.endFrame;
      this.reopening = true;
      void this.closeSockets()
        .then(async () => {
          if (this.closed) return;
          await this.openSockets();
          if (this.closed) await this.closeSockets(); // close() ran while reopening
        })
        .catch(() => undefined)
        .finally(() => (this.reopening = false));
      return;
    }

    for (const f of active) {
      if (f.spec.fault === "garbage" && !f.recorded) {
        this.sendGarbage(f.spec.count ?? 3);
        this.record(f, undefined);
      }
    }

    const silence = active.find((f) => f.spec.fault === "silence");
    const rigidBodies = this.trajectories.map((t) => this.bodyData(t, frameNumber, active));
    if (silence) {
      this.record(silence, undefined);
      return;
    }
    const frame = this.frame(frameNumber, rigidBodies);
    const bytes = encodeFrame(this.version, frame);
    this.sendToClients(bytes);
    if (this.data && this.multicast) this.data.send(bytes, this.multicast.port, this.multicast.group);
    this._framesSent++;
    for (const f of active) {
      if (f.spec.fault !== "garbage" && f.spec.fault !== "serverRestart") this.record(f, f.spec.body ?? 1);
    }
  }

  /**
   * A body's time on its trajectory: frame time less its rests so far. Through a rest's frames the
   * body stays where the frame before it left it (each of them repeats that pose), then moves on.
   */
  private bodyTime(id: number, frameNumber: number): number {
    let paused = 0;
    for (const f of this.faults) {
      if (f.spec.fault !== "rest" || (f.spec.body ?? 1) !== id) continue;
      paused += Math.min(Math.max(frameNumber - f.startFrame + 1, 0), f.endFrame - f.startFrame);
    }
    return this.timeOfFrame(frameNumber - paused);
  }

  private bodyData(t: Trajectory, frameNumber: number, active: ActiveFault[]): RigidBodyData {
    const id = t.body.id;
    let pose = t.poseAt(this.bodyTime(id, frameNumber));
    let valid = true;
    for (const f of active) {
      if ((f.spec.body ?? 1) !== id) continue;
      switch (f.spec.fault) {
        case "trackingLost":
        case "heldPose":
          f.frozen ??= this.lastSent.get(id) ?? pose;
          pose = f.frozen;
          if (f.spec.fault === "trackingLost") valid = false;
          break;
        case "teleport": {
          const o = f.spec.offset ?? [0.3, 0, 0];
          const p = pose.position;
          pose = { position: [p[0] + o[0], p[1] + o[1], p[2] + o[2]], orientation: pose.orientation };
          break;
        }
        case "rotationFlip":
          pose = { position: pose.position, orientation: flip180(pose.orientation) };
          break;
        default:
          break;
      }
    }
    // The pose a client last saw: faults freeze this, teleports and flips do not persist.
    const transient = active.some(
      (f) => (f.spec.body ?? 1) === id && (f.spec.fault === "teleport" || f.spec.fault === "rotationFlip"),
    );
    if (!transient) this.lastSent.set(id, pose);
    return {
      id,
      position: pose.position,
      orientation: pose.orientation,
      markers: undefined,
      meanError: valid ? 0.0002 : 0,
      params: valid ? RigidBodyParams.TrackingValid : 0,
      trackingValid: valid,
    };
  }

  private frame(frameNumber: number, rigidBodies: RigidBodyData[]): FrameOfData {
    const ticks = this.ticks();
    const latency = (SIM_CLOCK_HZ * 4n) / 1000n; // 4 ms exposure-to-transmit
    return rigidBodyFrame({
      frameNumber,
      timestamp: this.timeOfFrame(frameNumber),
      rigidBodies,
      ticks: [ticks - latency, ticks - latency / 2n, ticks],
      precisionTimestamps: this.version.major >= 4,
    });
  }

  private ticks(): bigint {
    return BigInt(Math.round(performance.now() * 10_000)); // 10 MHz
  }

  serverInfo(): ServerInfo {
    return {
      type: "serverInfo",
      name: "Motive",
      appVersion: this.version.major >= 4 ? natnetVersion(3, 0, 1, 0) : natnetVersion(2, 1, 0, 0),
      natnetVersion: this.version,
      highResClockFrequency: SIM_CLOCK_HZ,
      dataPort: this.multicast?.port ?? 1511,
      multicast: this.multicast !== undefined,
      multicastAddress: this.multicast?.group ?? "239.255.42.99",
    };
  }

  modelDef(): ModelDef {
    return {
      type: "modelDef",
      descriptions: this.bodies.map((b) => ({
        kind: "rigidBody" as const,
        name: b.name,
        id: b.id,
        parentId: -1,
        offset: [0, 0, 0] as const,
        rotationOffset: undefined,
        markers: [],
      })),
    };
  }

  private sendGarbage(count: number): void {
    for (let i = 0; i < count; i++) {
      // A frame-of-data header claiming more payload than the datagram holds, then random bytes:
      // decodePacket must reject it whatever the random bytes are.
      const len = 8 + Math.floor(this.garbageRand() * 56);
      const bytes = new Uint8Array(len);
      for (let j = 4; j < len; j++) bytes[j] = Math.floor(this.garbageRand() * 256);
      const claimed = len + 100;
      bytes[0] = 7;
      bytes[1] = 0;
      bytes[2] = claimed & 0xff;
      bytes[3] = claimed >> 8;
      this.sendToClients(bytes);
    }
  }

  private sendToClients(bytes: Uint8Array): void {
    const socket = this.command;
    if (!socket) return;
    for (const c of this.clients.values()) socket.send(bytes, c.port, c.address);
  }

  private onMessage(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    let message: NatNetMessage;
    try {
      message = decodePacket(new Uint8Array(msg.buffer, msg.byteOffset, msg.byteLength));
    } catch {
      return; // Motive ignores what it cannot parse
    }
    const key = `${rinfo.address}:${rinfo.port}`;
    const reply = (bytes: Uint8Array): void => {
      this.command?.send(bytes, rinfo.port, rinfo.address);
    };
    switch (message.type) {
      case "connect":
        this.clients.set(key, { address: rinfo.address, port: rinfo.port });
        reply(encodeServerInfo(this.serverInfo()));
        break;
      case "discovery":
        reply(encodeServerInfo(this.serverInfo()));
        break;
      case "requestModelDef":
        reply(encodeModelDef(this.version, this.modelDef()));
        break;
      case "echoRequest":
        reply(
          encodePacket({
            type: "echoResponse",
            clientTimestamp: message.clientTimestamp,
            serverReceiveTimestamp: this.ticks(),
          }),
        );
        break;
      case "request":
        reply(encodePacket(this.answer(message.command)));
        break;
      case "disconnect":
        this.clients.delete(key);
        break;
      default:
        break; // keep-alives and the rest need no reply
    }
  }

  private answer(command: string): NatNetMessage {
    const name = command.split(",")[0]?.trim().toLowerCase();
    switch (name) {
      case "framerate":
        return { type: "response", int32: undefined, float32: this.rateHz, text: undefined };
      case "unitstomillimeters":
        return { type: "response", int32: undefined, float32: 1000, text: undefined };
      case "analogsamplespermocapframe":
        return { type: "response", int32: 0, float32: undefined, text: undefined };
      default:
        return { type: "unrecognizedRequest", payloadSize: 0 };
    }
  }

  private async openSockets(): Promise<void> {
    const command = dgram.createSocket({ type: "udp4", reuseAddr: false });
    command.on("message", (msg, rinfo) => this.onMessage(msg, rinfo));
    command.on("error", () => undefined);
    await new Promise<void>((resolve, reject) => {
      command.once("error", reject);
      command.bind(this.requestedPort, this.host, () => {
        command.off("error", reject);
        resolve();
      });
    });
    this.requestedPort = command.address().port;
    this.command = command;
    if (this.multicast) {
      const data = dgram.createSocket({ type: "udp4", reuseAddr: true });
      data.on("error", () => undefined);
      // Motive sends its frames from the data port itself (clients may check where frames come from).
      const port = this.multicast.port;
      await new Promise<void>((resolve) => data.bind(port, this.multicast?.interface, () => resolve()));
      data.setMulticastTTL(this.multicast.ttl);
      data.setMulticastLoopback(true);
      if (this.multicast.interface !== undefined) data.setMulticastInterface(this.multicast.interface);
      this.data = data;
    }
  }

  private async closeSockets(): Promise<void> {
    const sockets = [this.command, this.data].filter((s): s is dgram.Socket => s !== undefined);
    this.command = undefined;
    this.data = undefined;
    await Promise.all(sockets.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}

/** Starts a simulator (for `rigwatch sim`): resolves once the command socket is bound. */
export async function startSimulator(options: MotiveSimulatorOptions = {}): Promise<MotiveSimulator> {
  return new MotiveSimulator(options).start();
}
