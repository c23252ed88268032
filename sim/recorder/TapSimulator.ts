import { randomBytes } from "node:crypto";
import { Publisher, Subscriber } from "zeromq";
import { encodeTapMessage } from "../../hw/tap/encodeTapMessage.js";
import type { Recording, RigStream, TapEnvelope, TapMessage, TickStream } from "../../hw/tap/protocol.js";
import { TAP_PROTOCOL_VERSION } from "../../hw/tap/protocol.js";
import { cameraThumb, gelThumb, withSensorNoise } from "./syntheticThumbs.js";

export type TapFault =
  /** Every RealSense repeats its last frame (the recorder's pipeline stalled). */
  | { readonly fault: "camerasStalled"; readonly at: number; readonly durationS: number }
  /**
   * The operator rests: nothing in view moves. Each camera's frame changes by sensor noise only (a new
   * frame, a new hash, the same scene); the GelSights repeat theirs.
   */
  | { readonly fault: "sceneStill"; readonly at: number; readonly durationS: number }
  /** One camera repeats its last frame. */
  | {
      readonly fault: "cameraFrozen";
      readonly at: number;
      readonly durationS: number;
      readonly stream: string;
    }
  /** One GelSight frame with the LED flaring (+60 on every byte). */
  | { readonly fault: "ledFlicker"; readonly at: number; readonly side: "left" | "right" }
  /** A GelSight disappears from the ticks. */
  | {
      readonly fault: "gelUnplugged";
      readonly at: number;
      readonly durationS: number;
      readonly side: "left" | "right";
    };

export interface SimTake {
  readonly at: number;
  readonly durationS: number;
  readonly episode: number;
}

export interface TapSimulatorOptions {
  /** Where the recorder's PUB binds (default an ephemeral loopback port). */
  readonly endpoint?: string;
  /** rigwatch's alarm PUB: the simulator obeys its stop command like a recorder should. */
  readonly alarmEndpoint?: string;
  readonly fps?: number;
  readonly takes?: readonly SimTake[];
  readonly faults?: readonly TapFault[];
  /** Folder the take paths point into (nothing is written). */
  readonly dataDir?: string;
  readonly bodies?: readonly string[];
  readonly activeSensors?: readonly string[];
  /** GelSight frame rate (re-sampled onto camera ticks, so frames repeat). */
  readonly gelHz?: number;
}

/** Ground truth for tests and benchmarks: wall time (performance.now) each fault's first frame left. */
export interface TapInjected {
  readonly fault: TapFault["fault"] | "takeStart" | "takeEnd" | "stopObeyed";
  readonly frame: number;
  readonly wallSentAt: number;
  readonly episode?: number;
}

const CAMERAS = ["cam0", "cam1", "cam2"];
const SIDES = ["left", "right"] as const;

/**
 * A recorder as rigwatch sees it through the tap: 30 Hz ticks of three cameras and two GelSights
 * (thumbnails and content hashes, no full frames), takes on a schedule, faults on a schedule, and
 * the watchdog's stop command obeyed. Times in the schedules are seconds since start.
 */
export class TapSimulator {
  readonly injected: TapInjected[] = [];
  private readonly pub = new Publisher({ linger: 0 });
  private readonly sub = new Subscriber({ linger: 0 });
  private readonly sender = randomBytes(6).toString("hex");
  private seq = 0;
  private tickIndex = 0;
  private frameInTake = 0;
  private recording: Recording | null = null;
  private takeEndsAtTick: number | undefined;
  private readonly content = new Map<string, { n: number; thumb: Uint8Array }>();
  private timer: NodeJS.Timeout | undefined;
  private helloTimer: NodeJS.Timeout | undefined;
  private sending: Promise<void> = Promise.resolve();
  private startedAt = 0;
  /** Wall clock (s) of tick 0: tick k is stamped as captured at startedWallS + k / fps. */
  private startedWallS = 0;
  private closed = false;
  private readonly fps: number;

  private constructor(private readonly options: TapSimulatorOptions) {
    this.fps = options.fps ?? 30;
  }

  static async start(options: TapSimulatorOptions = {}): Promise<TapSimulator> {
    const sim = new TapSimulator(options);
    await sim.pub.bind(options.endpoint ?? "tcp://127.0.0.1:*");
    if (options.alarmEndpoint) {
      sim.sub.connect(options.alarmEndpoint);
      sim.sub.subscribe("command");
      void sim.listen();
    }
    sim.startedAt = performance.now();
    sim.startedWallS = Date.now() / 1000;
    sim.schedule();
    sim.helloTimer = setInterval(() => sim.hello(), 500);
    sim.hello();
    return sim;
  }

  get endpoint(): string {
    return this.pub.lastEndpoint as string;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    clearInterval(this.helloTimer);
    await this.sending;
    this.pub.close();
    this.sub.close();
  }

  private get rig(): {
    streams: RigStream[];
    bodies: readonly string[];
    activeSensors: readonly string[];
    fps: number;
  } {
    return {
      streams: [
        ...CAMERAS.map((name): RigStream => ({ name, kind: "realsense", order: "BGR" })),
        ...SIDES.map((side): RigStream => ({ name: `gel_${side}`, kind: "gelsight", order: "RGB" })),
      ],
      bodies: this.options.bodies ?? ["motherboard", "sensor_left", "sensor_right"],
      activeSensors: this.options.activeSensors ?? ["left", "right"],
      fps: this.fps,
    };
  }

  /** Drift-free: tick k is due at start + k/fps. */
  private schedule(): void {
    if (this.closed) return;
    const due = this.startedAt + (this.tickIndex * 1000) / this.fps;
    this.timer = setTimeout(
      () => {
        this.step();
        this.tickIndex++;
        this.schedule();
      },
      Math.max(0, due - performance.now()),
    );
  }

  private step(): void {
    const k = this.tickIndex;
    const t = k / this.fps;
    for (const take of this.options.takes ?? []) {
      if (Math.round(take.at * this.fps) === k) this.startTake(take);
    }
    if (this.recording && this.takeEndsAtTick === k) this.endTake("takeEnd");
    const active = (this.options.faults ?? []).filter((f) => {
      const first = Math.round(f.at * this.fps);
      const last = "durationS" in f ? first + Math.round(f.durationS * this.fps) - 1 : first;
      return k >= first && k <= last;
    });
    const streams: TickStream[] = [];
    const still = active.some((f) => f.fault === "sceneStill");
    for (const [i, name] of CAMERAS.entries()) {
      const frozen = active.some(
        (f) => f.fault === "camerasStalled" || (f.fault === "cameraFrozen" && f.stream === name),
      );
      streams.push(
        !frozen && still ? this.noisyFrame(name, k) : this.frame(name, !frozen, (n) => cameraThumb(n, i)),
      );
    }
    for (const side of SIDES) {
      if (active.some((f) => f.fault === "gelUnplugged" && f.side === side)) continue;
      const flare = active.some((f) => f.fault === "ledFlicker" && f.side === side);
      const gelHz = this.options.gelHz ?? 20;
      const fresh =
        flare || (!still && Math.floor((k * gelHz) / this.fps) !== Math.floor(((k - 1) * gelHz) / this.fps));
      streams.push(this.frame(`gel_${side}`, fresh, (n) => gelThumb(n, flare ? 60 : 0)));
    }
    const now = performance.now();
    for (const f of active)
      if (Math.round(f.at * this.fps) === k)
        this.injected.push({ fault: f.fault, frame: this.frameInTake, wallSentAt: now });
    this.send({
      topic: "tick",
      ...this.envelope(),
      frame: this.frameInTake++,
      // The capture time, as a recorder stamps it: a tick this process sends late (a busy machine)
      // keeps its place on the timeline instead of looking like a stalled camera.
      ts: this.startedWallS + t,
      episode: this.recording?.episode ?? null,
      streams,
    });
  }

  /** The stream's frame this tick: new content, or its last frame again. */
  private frame(name: string, fresh: boolean, make: (n: number) => Uint8Array): TickStream {
    let c = this.content.get(name);
    if (!c || fresh) {
      const n = (c?.n ?? -1) + 1;
      c = { n, thumb: make(n) };
      this.content.set(name, c);
    }
    return { name, hash: `sim:${name}:${c.n}`, thumb: c.thumb };
  }

  /** The stream's last scene again, as a new frame: sensor noise only. */
  private noisyFrame(name: string, tick: number): TickStream {
    const c = this.content.get(name);
    if (!c) return this.frame(name, true, (n) => cameraThumb(n, CAMERAS.indexOf(name)));
    return { name, hash: `sim:${name}:${c.n}:noise${tick}`, thumb: withSensorNoise(c.thumb, tick) };
  }

  private startTake(take: SimTake): void {
    if (this.recording) this.endTake("takeEnd");
    const path = `${this.options.dataDir ?? "/data/sim/today"}/episode_${String(take.episode).padStart(3, "0")}.h5`;
    const ts = Date.now() / 1000;
    this.recording = { episode: take.episode, path, startedTs: ts };
    this.frameInTake = 0;
    this.takeEndsAtTick = this.tickIndex + Math.round(take.durationS * this.fps);
    this.injected.push({
      fault: "takeStart",
      frame: 0,
      wallSentAt: performance.now(),
      episode: take.episode,
    });
    this.send({ topic: "episode_start", ...this.envelope(), episode: take.episode, path, ts });
  }

  private endTake(why: "takeEnd" | "stopObeyed"): void {
    const recording = this.recording;
    if (!recording) return;
    this.recording = null;
    this.takeEndsAtTick = undefined;
    this.injected.push({
      fault: why,
      frame: this.frameInTake,
      wallSentAt: performance.now(),
      episode: recording.episode,
    });
    this.send({
      topic: "episode_end",
      ...this.envelope(),
      episode: recording.episode,
      path: recording.path,
      ts: Date.now() / 1000,
      framesWritten: this.frameInTake,
      framesDropped: 0,
    });
  }

  private hello(): void {
    this.send({ topic: "hello", ...this.envelope(), rig: this.rig, recording: this.recording });
  }

  private async listen(): Promise<void> {
    try {
      for await (const [, body] of this.sub) {
        const command = JSON.parse(String(body)) as { command?: string; episode?: number };
        if (command.command === "stop_take" && command.episode === this.recording?.episode)
          this.endTake("stopObeyed");
      }
    } catch {
      // closed
    }
  }

  private envelope(): TapEnvelope {
    return {
      v: TAP_PROTOCOL_VERSION,
      sender: this.sender,
      seq: this.seq++,
      t: Date.now() / 1000,
      dropped: 0,
    };
  }

  private send(message: TapMessage): void {
    const parts = encodeTapMessage(message);
    this.sending = this.sending
      .then(() => (this.closed ? undefined : this.pub.send(parts)))
      .catch(() => undefined);
  }
}
