/**
 * What the daemon sends on `/ws`, one JSON object per WebSocket message. The operator page and any
 * other client read these; `type` tells them apart. A client connecting mid-take first gets a snapshot
 * (hello, the latest of each state message, the alarms still raised), then the live stream.
 */
import type { Alarm } from "../detectors/alarm.js";

/** First message on every connection. */
export interface HelloMessage {
  readonly type: "hello";
  readonly version: string;
  /** Wall-clock ISO time on the daemon, so the page can show ages against the daemon's clock. */
  readonly now: string;
  /** True when the daemon serves the network and state-changing requests need the token. */
  readonly tokenRequired: boolean;
  /**
   * How many messages of the snapshot follow: once they are in, an alarm the client still shows as
   * raised that the snapshot did not repeat was cleared while the client was away.
   */
  readonly snapshot: number;
}

export interface BodyHealthEntry {
  /** Latest sample's tracking-valid bit. */
  readonly valid: boolean;
  /** Seconds since the body's last sample arrived (receive clock). */
  readonly ageS: number;
  /** Samples per second over the last second. */
  readonly rateHz: number;
}

/** Every 0.5 s: OptiTrack per body. */
export interface HealthMessage {
  readonly type: "health";
  readonly bodies: Readonly<Record<string, BodyHealthEntry>>;
}

/** NatNet connection state, on every change. */
export interface NatNetMessage {
  readonly type: "natnet";
  readonly status: { readonly state: string } & Readonly<Record<string, unknown>>;
}

export interface StreamHealthEntry {
  /** Distinct (new-content) frames per second over the last 2 s. */
  readonly rateHz: number;
  /** Ticks per second carrying this stream over the last 2 s. */
  readonly tickHz: number;
  /** Seconds since the stream's content last changed (receive clock). */
  readonly ageS: number;
  readonly stale: boolean;
  /** Share of consecutive ticks with a bitwise-repeated frame over the last 1 s. */
  readonly dupFraction: number;
  /** GelSight only: latest contact intensity against the take's reference. */
  readonly intensity?: number;
}

/** Every 0.5 s: the recorder tap and its image streams (cam0..2, gel_left, gel_right). */
export interface StreamsMessage {
  readonly type: "streams";
  readonly tap: {
    readonly state: "waiting" | "connected" | "silent";
    /** Messages lost on the wire since the daemon started (sequence gaps). */
    readonly dropped: number;
    /** Seconds since the last tap message. */
    readonly ageS: number;
  };
  readonly streams: Readonly<Record<string, StreamHealthEntry>>;
}

/** On every lifecycle change, and every 0.5 s while a take runs. */
export interface TakeMessage {
  readonly type: "take";
  readonly state: "idle" | "take" | "between" | "closed";
  readonly episode?: number;
  readonly path?: string;
  /** Wall-clock ISO time the current or last take started. */
  readonly startedAt?: string;
  readonly elapsedS?: number;
  readonly framesWritten?: number;
  readonly framesDropped?: number;
}

/**
 * 10 times a second: the plot points since the last message, so the page draws the last 30 s of each
 * sensor's speed and each GelSight's intensity without the daemon sending 240 Hz to every client.
 * `t` is seconds on the daemon's receive clock; each series is `[t, value]` pairs.
 */
export interface SeriesMessage {
  readonly type: "series";
  /** Body name → translation speed (m/s) points. */
  readonly speed: Readonly<Record<string, readonly (readonly [number, number])[]>>;
  /** "left" | "right" → contact intensity points. */
  readonly intensity: Readonly<Record<string, readonly (readonly [number, number])[]>>;
}

/** Post-session stage progress for one episode. */
export interface ProgressMessage {
  readonly type: "progress";
  readonly episode: string;
  readonly stage: string;
  readonly state: "queued" | "running" | "paused" | "done" | "failed" | "skipped";
  readonly done?: number;
  readonly total?: number;
  readonly error?: string;
}

/**
 * Every 0.5 s while any: inputs the daemon refused since it started, by source (`tap` messages,
 * `natnet` datagrams from elsewhere than Motive or that do not decode, `stages` paths outside the data
 * roots) and reason. The log says the same at a bounded rate.
 */
export interface RejectedMessage {
  readonly type: "rejected";
  readonly sources: Readonly<
    Record<string, { readonly total: number; readonly byReason: Readonly<Record<string, number>> }>
  >;
}

export type HubMessage =
  | HelloMessage
  | Alarm
  | HealthMessage
  | NatNetMessage
  | StreamsMessage
  | TakeMessage
  | SeriesMessage
  | ProgressMessage
  | RejectedMessage;
