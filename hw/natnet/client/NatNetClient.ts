import dgram from "node:dgram";
import { lookup } from "node:dns/promises";
import { BehaviorSubject, type Observable, Subject } from "rxjs";
import type { PoseSample } from "../../../detectors/samples.js";
import {
  decodePacket,
  encodePacket,
  FrameParams,
  type FrameOfData,
  type ModelDef,
  NatNetDecodeError,
  type NatNetVersion,
  type ServerInfo,
} from "../index.js";

/** Receives log lines: decode errors (rate-limited), socket errors, state changes. */
export type NatNetLog = (message: string, details?: Readonly<Record<string, unknown>>) => void;

export interface NatNetClientOptions {
  /** Motive host (IPv4). */
  readonly serverAddress: string;
  /** Motive's command port; default 1510. */
  readonly commandPort?: number;
  /** Data port for multicast frames; default 1511. */
  readonly dataPort?: number;
  /** Default "unicast": frames arrive on the command socket. */
  readonly mode?: "unicast" | "multicast";
  /** Default 239.255.42.99. */
  readonly multicastGroup?: string;
  /** Local IPv4 address facing Motive: binds the command socket and joins the group on it. */
  readonly localInterface?: string;
  /** Unicast keep-alive period; default 1000 ms. */
  readonly keepAliveMs?: number;
  /** No frame for this long → status "silent" and connects are re-sent; default 2000 ms. */
  readonly silenceMs?: number;
  /** First re-connect delay, doubled each unanswered attempt; default 250 ms. */
  readonly reconnectMinMs?: number;
  /** Upper bound of the re-connect delay; default 5000 ms. */
  readonly reconnectMaxMs?: number;
  /** Minimum interval between model-definition requests caused by unknown ids; default 1000 ms. */
  readonly modelDefMinIntervalMs?: number;
  /** Minimum interval between two decode-error log lines; default 5000 ms. */
  readonly logIntervalMs?: number;
  /** Receive time in seconds, stamped on every sample as `rx`; default wall clock. */
  readonly clock?: () => number;
  readonly log?: NatNetLog;
  /** Client name sent in NAT_CONNECT; default "rigwatch". */
  readonly clientName?: string;
}

export type NatNetStatus =
  | { readonly state: "connecting" }
  /** ServerInfo received (again); frames are expected. */
  | { readonly state: "connected"; readonly serverInfo: ServerInfo }
  /** Connected once, but no frame for `silenceMs`; connects are being re-sent. */
  | { readonly state: "silent"; readonly serverInfo: ServerInfo | undefined }
  /** A connect went unanswered: the server is gone or restarting. `attempt` counts from 1. */
  | { readonly state: "reconnecting"; readonly attempt: number }
  | { readonly state: "closed" };

export interface NatNetCounters {
  /** Datagrams received, on any socket. */
  datagrams: number;
  /** Datagrams that failed to decode (ignored). */
  garbage: number;
  /**
   * Datagrams from anything but the server connected to (another address, or a port Motive does not
   * answer from: replies come from its command port, frames from its command or data port): ignored.
   */
  foreign: number;
  frames: number;
  samples: number;
  /** Frames dropped because no ServerInfo (version) was known yet. */
  framesWithoutVersion: number;
  /** Rigid bodies skipped because their id was not in the model definitions. */
  unnamedBodies: number;
  connectsSent: number;
  modelDefRequests: number;
  modelDefs: number;
  keepAlivesSent: number;
  socketErrors: number;
}

const DEFAULTS = {
  commandPort: 1510,
  dataPort: 1511,
  multicastGroup: "239.255.42.99",
  keepAliveMs: 1000,
  silenceMs: 2000,
  reconnectMinMs: 250,
  reconnectMaxMs: 5000,
  modelDefMinIntervalMs: 1000,
  logIntervalMs: 5000,
};

const now = (): number => performance.now();

/**
 * A NatNet client on real UDP sockets: connects to Motive's command port, learns the bitstream version
 * from ServerInfo, maps rigid-body ids to names from the model definitions and emits one `PoseSample`
 * per rigid body per frame. Only the server connected to is listened to: a datagram from another
 * address, or a reply from another port than Motive's command port, is counted and ignored (a forged
 * ServerInfo is never taken for Motive). Survives Motive restarting or going silent by re-connecting with backoff.
 * Call `start()` once, `close()` to release the sockets.
 */
export class NatNetClient {
  readonly samples$: Observable<PoseSample>;
  readonly status$: Observable<NatNetStatus>;
  /** Errors when a socket dies under the client (closed by something else, a send that throws): restart it. */
  readonly failure$: Observable<never>;
  readonly counters: NatNetCounters = {
    datagrams: 0,
    garbage: 0,
    foreign: 0,
    frames: 0,
    samples: 0,
    framesWithoutVersion: 0,
    unnamedBodies: 0,
    connectsSent: 0,
    modelDefRequests: 0,
    modelDefs: 0,
    keepAlivesSent: 0,
    socketErrors: 0,
  };

  private readonly options: Required<Omit<NatNetClientOptions, "localInterface" | "log">> & {
    readonly localInterface: string | undefined;
    readonly log: NatNetLog;
  };
  private readonly samples = new Subject<PoseSample>();
  private readonly status = new BehaviorSubject<NatNetStatus>({ state: "connecting" });
  private readonly failure = new Subject<never>();
  private commandSocket: dgram.Socket | undefined;
  private dataSocket: dgram.Socket | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  private serverInfo: ServerInfo | undefined;
  private version: NatNetVersion | undefined;
  private names = new Map<number, string>();
  /** Set once the first ServerInfo arrives: from then on silence is possible. */
  private everConnected = false;
  private lastFrameAt = 0;
  private lastKeepAliveAt = 0;
  private lastModelDefRequestAt = -Infinity;
  private lastTriggeredModelDefAt = -Infinity;
  private modelDefPending = false;
  private nextConnectAt = 0;
  private connectDelayMs: number;
  /** A connect was sent and nothing came back from the server since. */
  private awaitingReply = false;
  private unansweredConnects = 0;
  private lastGarbageLogAt = -Infinity;
  private suppressedGarbageLogs = 0;
  private lastForeignLogAt = -Infinity;
  private suppressedForeignLogs = 0;
  /** The server's IPv4 address (the option resolved once, at start): what every datagram must come from. */
  private serverIp: string;

  constructor(options: NatNetClientOptions) {
    this.options = {
      ...DEFAULTS,
      mode: "unicast",
      clock: () => Date.now() / 1000,
      clientName: "rigwatch",
      ...stripUndefined(options),
      serverAddress: options.serverAddress,
      localInterface: options.localInterface,
      log: options.log ?? (() => undefined),
    };
    this.connectDelayMs = this.options.reconnectMinMs;
    this.serverIp = options.serverAddress;
    this.samples$ = this.samples.asObservable();
    this.status$ = this.status.asObservable();
    this.failure$ = this.failure.asObservable();
  }

  /** The current status (the last one `status$` emitted). */
  get currentStatus(): NatNetStatus {
    return this.status.getValue();
  }

  /** Rigid-body id → name, from the last model definitions. */
  get bodyNames(): ReadonlyMap<number, string> {
    return this.names;
  }

  /** Local port of the command socket (frames arrive there in unicast). */
  get commandSocketPort(): number | undefined {
    return this.commandSocket?.address().port;
  }

  /** Binds the sockets, sends the first connect and starts the timers. */
  async start(): Promise<void> {
    if (this.commandSocket !== undefined || this.closed)
      throw new Error("NatNetClient: start() called twice");
    try {
      // A host name is resolved once, so a datagram's source can be compared with it.
      this.serverIp = (await lookup(this.options.serverAddress, { family: 4 })).address;
    } catch (error) {
      this.options.log("natnet: cannot resolve the server's address", {
        server: this.options.serverAddress,
        error: (error as Error).message,
      });
    }
    try {
      const command = dgram.createSocket({ type: "udp4" });
      this.commandSocket = command;
      this.wire(command, "command");
      await bind(command, { port: 0, address: this.options.localInterface });
      if (this.options.mode === "multicast") {
        const data = dgram.createSocket({ type: "udp4", reuseAddr: true });
        this.dataSocket = data;
        this.wire(data, "data");
        await bind(data, { port: this.options.dataPort });
        data.addMembership(this.options.multicastGroup, this.options.localInterface);
      }
    } catch (error) {
      await this.close(); // release whatever was bound
      throw error;
    }
    if (this.closed) return;
    const tickMs = Math.max(
      5,
      Math.min(this.options.keepAliveMs, this.options.silenceMs, this.options.reconnectMinMs) / 4,
    );
    this.timer = setInterval(() => this.tick(), tickMs);
    this.sendConnect();
  }

  /** Stops the timers, completes the observables and resolves once the sockets are released. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    const sockets = [this.commandSocket, this.dataSocket];
    this.commandSocket = undefined;
    this.dataSocket = undefined;
    this.setStatus({ state: "closed" });
    this.samples.complete();
    this.status.complete();
    this.failure.complete();
    await Promise.all(
      sockets.map(
        (socket) =>
          new Promise<void>((resolve) => {
            if (socket === undefined) return resolve();
            try {
              socket.close(() => resolve());
            } catch {
              resolve(); // never bound, or already closed
            }
          }),
      ),
    );
  }

  private wire(socket: dgram.Socket, which: "command" | "data"): void {
    socket.on("message", (datagram, from) => this.onDatagram(datagram, from, which));
    socket.on("close", () => {
      if (!this.closed) this.fail(new Error(`natnet: ${which} socket closed under the client`));
    });
    socket.on("error", (error) => {
      this.counters.socketErrors++;
      this.options.log(`natnet: ${which} socket error`, { error: error.message });
    });
  }

  // ---- timers ----

  private tick(): void {
    if (this.closed) return;
    const t = now();
    if (!this.everConnected || this.isSilent(t)) {
      if (this.everConnected && this.currentStatus.state === "connected") {
        this.setStatus({ state: "silent", serverInfo: this.serverInfo });
        this.nextConnectAt = t; // re-connect at once, then back off
      }
      if (t >= this.nextConnectAt) {
        if (this.awaitingReply) {
          this.unansweredConnects++;
          this.setStatus({ state: "reconnecting", attempt: this.unansweredConnects });
          this.connectDelayMs = Math.min(this.connectDelayMs * 2, this.options.reconnectMaxMs);
        }
        this.sendConnect();
      }
    }
    if (
      this.options.mode === "unicast" &&
      this.everConnected &&
      t - this.lastKeepAliveAt >= this.options.keepAliveMs
    ) {
      this.lastKeepAliveAt = t;
      this.counters.keepAlivesSent++;
      this.send({ type: "keepAlive" });
    }
  }

  private isSilent(t: number): boolean {
    return t - this.lastFrameAt > this.options.silenceMs;
  }

  private sendConnect(): void {
    this.counters.connectsSent++;
    this.awaitingReply = true;
    this.nextConnectAt = now() + this.connectDelayMs;
    this.send({
      type: "connect",
      name: this.options.clientName,
      appVersion: { major: 0, minor: 1, build: 0, revision: 0 },
      natnetVersion: { major: 4, minor: 1, build: 0, revision: 0 },
      subscribedDataOnly: undefined,
      bitstreamVersion: undefined,
    });
  }

  /**
   * `force`: on (re)connect. Otherwise a frame asked for it (unknown id, model list changed): at most
   * one such request per `modelDefMinIntervalMs`, and none while a request is still unanswered.
   */
  private requestModelDef(force: boolean): void {
    const t = now();
    if (!force) {
      const interval = this.options.modelDefMinIntervalMs;
      if (t - this.lastTriggeredModelDefAt < interval) return;
      if (this.modelDefPending && t - this.lastModelDefRequestAt < interval) return;
      this.lastTriggeredModelDefAt = t;
    }
    this.lastModelDefRequestAt = t;
    this.modelDefPending = true;
    this.counters.modelDefRequests++;
    this.send({ type: "requestModelDef" });
  }

  private send(message: Parameters<typeof encodePacket>[0]): void {
    const socket = this.commandSocket;
    if (socket === undefined || this.closed) return;
    const bytes = encodePacket(message);
    try {
      socket.send(bytes, this.options.commandPort, this.options.serverAddress, (error) => {
        if (error) {
          this.counters.socketErrors++;
          this.options.log("natnet: send failed", { error: error.message, type: message.type });
        }
      });
    } catch (error) {
      // The socket is gone (closed under us): nothing this client sends can arrive any more.
      this.fail(error);
    }
  }

  /** The client cannot go on: its timers stop and `failure$` errors; the owner closes and replaces it. */
  private fail(error: unknown): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.counters.socketErrors++;
    this.failure.error(error);
  }

  private setStatus(status: NatNetStatus): void {
    const previous = this.currentStatus;
    if (previous.state === status.state && status.state !== "connected" && status.state !== "reconnecting")
      return;
    if (previous.state === "closed") return;
    this.status.next(status);
  }

  // ---- receive ----

  private onDatagram(datagram: Buffer, from: dgram.RemoteInfo, which: "command" | "data"): void {
    if (this.closed) return;
    this.counters.datagrams++;
    const framePorts = [this.options.commandPort, this.options.dataPort, this.serverInfo?.dataPort];
    if (from.address !== this.serverIp || !framePorts.includes(from.port)) {
      this.onForeign(from, "not the server's address or ports");
      return;
    }
    let message;
    try {
      message = decodePacket(datagram, this.version);
    } catch (error) {
      this.onGarbage(datagram, error);
      return;
    }
    // Only frames come from the data port, or over multicast; every reply comes from the command port.
    if (message.type !== "frameOfData" && (which === "data" || from.port !== this.options.commandPort)) {
      this.onForeign(from, `a ${message.type} not from the server's command port`);
      return;
    }
    this.awaitingReply = false;
    this.unansweredConnects = 0;
    switch (message.type) {
      case "serverInfo":
        this.onServerInfo(message);
        break;
      case "modelDef":
        this.onModelDef(message);
        break;
      case "frameOfData":
        this.onFrame(message);
        break;
      default:
        break;
    }
  }

  private onGarbage(datagram: Uint8Array, error: unknown): void {
    this.counters.garbage++;
    // Without a version, frames and model definitions cannot be decoded: not garbage, just early.
    const t = now();
    if (t - this.lastGarbageLogAt < this.options.logIntervalMs) {
      this.suppressedGarbageLogs++;
      return;
    }
    this.lastGarbageLogAt = t;
    const reason =
      error instanceof NatNetDecodeError || error instanceof Error ? error.message : String(error);
    this.options.log("natnet: undecodable datagram ignored", {
      bytes: datagram.byteLength,
      error: reason,
      garbageTotal: this.counters.garbage,
      suppressedSinceLastLog: this.suppressedGarbageLogs,
    });
    this.suppressedGarbageLogs = 0;
  }

  /** Counted; logged at most once per `logIntervalMs` with how many were not logged. */
  private onForeign(from: dgram.RemoteInfo, why: string): void {
    this.counters.foreign++;
    const t = now();
    if (t - this.lastForeignLogAt < this.options.logIntervalMs) {
      this.suppressedForeignLogs++;
      return;
    }
    this.lastForeignLogAt = t;
    this.options.log("natnet: datagram from elsewhere than the server ignored", {
      from: `${from.address}:${from.port}`,
      server: `${this.serverIp}:${this.options.commandPort}`,
      why,
      foreignTotal: this.counters.foreign,
      suppressedSinceLastLog: this.suppressedForeignLogs,
    });
    this.suppressedForeignLogs = 0;
  }

  private onServerInfo(info: ServerInfo): void {
    const changed =
      this.version === undefined ||
      this.version.major !== info.natnetVersion.major ||
      this.version.minor !== info.natnetVersion.minor;
    const wasSilent = !this.everConnected || this.currentStatus.state !== "connected";
    this.serverInfo = info;
    this.version = info.natnetVersion;
    this.connectDelayMs = this.options.reconnectMinMs;
    if (!this.everConnected) {
      this.everConnected = true;
      this.lastFrameAt = now(); // grace period before "silent"
    }
    if (changed) this.options.log("natnet: server info", { name: info.name, natnet: info.natnetVersion });
    if (wasSilent || changed) {
      // Connected for the first time, or Motive may have restarted: fetch the model list again.
      this.requestModelDef(true);
      if (this.currentStatus.state !== "silent" || !this.isSilent(now())) {
        this.lastFrameAt = Math.max(this.lastFrameAt, now()); // grace period before "silent" again
        this.setStatus({ state: "connected", serverInfo: info });
      } else {
        this.setStatus({ state: "silent", serverInfo: info });
      }
    }
  }

  private onModelDef(modelDef: ModelDef): void {
    this.counters.modelDefs++;
    this.modelDefPending = false;
    const names = new Map<number, string>();
    for (const description of modelDef.descriptions) {
      if (description.kind === "rigidBody" && description.name !== undefined) {
        names.set(description.id, description.name);
      }
    }
    this.names = names;
  }

  private onFrame(frame: FrameOfData): void {
    if (this.version === undefined) {
      this.counters.framesWithoutVersion++;
      return;
    }
    this.counters.frames++;
    this.lastFrameAt = now();
    if (this.currentStatus.state !== "connected" && this.serverInfo !== undefined) {
      this.setStatus({ state: "connected", serverInfo: this.serverInfo });
    }
    if (frame.params !== undefined && (frame.params & FrameParams.ModelListChanged) !== 0) {
      this.requestModelDef(false);
    }
    const rx = this.options.clock();
    const t = frame.timestamp ?? rx;
    for (const body of frame.rigidBodies) {
      const name = this.names.get(body.id);
      if (name === undefined) {
        this.counters.unnamedBodies++;
        this.requestModelDef(false);
        continue;
      }
      this.counters.samples++;
      this.samples.next({
        body: name,
        t,
        rx,
        position: body.position,
        quaternion: body.orientation,
        valid: body.trackingValid ?? true,
        ...(body.meanError === undefined ? {} : { meanMarkerError: body.meanError }),
      });
    }
  }
}

function bind(socket: dgram.Socket, options: dgram.BindOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    socket.once("error", onError);
    socket.bind(options, () => {
      socket.off("error", onError);
      resolve();
    });
  });
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
