import type {
  BodyHealthEntry,
  DaemonMessage,
  HelloMessage,
  HubMessage,
  NatNetMessage,
  ProgressMessage,
  RejectedMessage,
  StreamsMessage,
  TakeMessage,
} from "../daemon/hubMessages.js";
import { AlarmLog } from "./AlarmLog.js";
import { SeriesBuffer } from "./SeriesBuffer.js";

/** Plots show this much of the past. */
export const PLOT_WINDOW_S = 30;

/** Health comes every 0.5 s; later than this and it is overdue. */
const HEALTH_OVERDUE_S = 0.75;

/** A state message and when (page clock, ms) it arrived, so ages keep counting between messages. */
export interface Received<T> {
  readonly message: T;
  readonly at: number;
}

/**
 * Everything the page knows, as the messages on `/ws` left it. Messages only update this model;
 * the render loop reads it once per display frame.
 */
export class PageModel {
  readonly alarms = new AlarmLog();
  readonly speed = new Map<string, SeriesBuffer>();
  readonly intensity = new Map<string, SeriesBuffer>();
  readonly progress = new Map<string, ProgressMessage>();
  hello: Received<HelloMessage> | undefined;
  health: Received<Readonly<Record<string, BodyHealthEntry>>> | undefined;
  natnet: NatNetMessage["status"] | undefined;
  /** The daemon's own word on its live pipeline (`failed` just before it exits). */
  daemon: DaemonMessage | undefined;
  streams: Received<StreamsMessage> | undefined;
  take: Received<TakeMessage> | undefined;
  /** Inputs the daemon refused, by source (kept for the page; not drawn yet). */
  rejected: RejectedMessage["sources"] | undefined;
  /** Latest series time (daemon receive clock, s) and when it arrived: the plots' right edge. */
  seriesClock: Received<number> | undefined;
  /** Counts series messages: the plots redraw when it changes. */
  seriesVersion = 0;
  /** Page clock (ms) of the last message of any kind. */
  lastMessageAt: number | undefined;
  #snapshotLeft = 0;

  apply(message: HubMessage, now: number): void {
    this.lastMessageAt = now;
    switch (message.type) {
      case "hello":
        this.hello = { message, at: now };
        this.daemon = undefined;
        // The daemon may have restarted: its receive clock starts again.
        this.seriesClock = undefined;
        this.alarms.beginResync();
        this.#snapshotLeft = message.snapshot;
        break;
      case "alarm":
        this.alarms.apply(message);
        break;
      case "health":
        this.health = { message: message.bodies, at: now };
        break;
      case "natnet":
        this.natnet = message.status;
        break;
      case "streams":
        this.streams = { message, at: now };
        break;
      case "take":
        this.take = { message, at: now };
        break;
      case "series":
        this.seriesVersion++;
        this.#addSeries(this.speed, message.speed, now);
        this.#addSeries(this.intensity, message.intensity, now);
        break;
      case "daemon":
        this.daemon = message;
        break;
      case "history":
        this.alarms.loadHistory(message);
        break;
      case "lifecycle":
        break;
      case "progress":
        this.progress.set(`${message.episode ?? "session"}\u0000${message.stage}`, message);
        break;
      case "rejected":
        this.rejected = message.sources;
        break;
    }
    if (message.type !== "hello" && this.#snapshotLeft > 0 && --this.#snapshotLeft === 0) {
      this.alarms.endResync();
    } else if (message.type === "hello" && message.snapshot === 0) {
      this.alarms.endResync();
    }
  }

  /**
   * Age (s) of a body's last sample now. The daemon reports it every 0.5 s; between reports the page
   * cannot tell a body that went quiet from one still streaming, so it adds time only once a report
   * is overdue (the daemon's own silence is a separate NOT LIVE reason).
   */
  static bodyAge(entry: BodyHealthEntry, health: Received<unknown>, now: number): number {
    return entry.ageS + Math.max(0, PageModel.ageOf(health, now) - HEALTH_OVERDUE_S);
  }

  /** Age (s) of a state message now, on the page clock. */
  static ageOf(received: Received<unknown>, now: number): number {
    return (now - received.at) / 1000;
  }

  #addSeries(
    into: Map<string, SeriesBuffer>,
    points: Readonly<Record<string, readonly (readonly [number, number])[]>>,
    now: number,
  ): void {
    for (const [name, list] of Object.entries(points)) {
      let buffer = into.get(name);
      if (!buffer) into.set(name, (buffer = new SeriesBuffer(PLOT_WINDOW_S)));
      buffer.push(list);
      const latest = buffer.latestT;
      if (latest !== undefined && (this.seriesClock === undefined || latest >= this.seriesClock.message)) {
        this.seriesClock = { message: latest, at: now };
      }
    }
  }
}
