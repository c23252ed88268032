/**
 * What the daemon sends on `/ws`, one JSON object per WebSocket message. The operator page and any
 * other client read these; `type` tells them apart. A client connecting mid-take first gets a snapshot
 * (hello, the latest of each state message, each episode's latest stage progress, the alarms still
 * raised), then the live stream.
 */
import type { Alarm } from "../detectors/alarm.js";
import type { HelloMessage } from "../sinks/HelloMessage.js";
import type { StageProgress } from "../stages/scheduler/StageProgress.js";
import type { LifecycleEvent, TakeState } from "./TakeState.js";

export type { HelloMessage };

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
export interface TakeMessage extends TakeState {
  readonly type: "take";
}

/** A take or a session closed (what the stage scheduler runs on). */
export interface LifecycleMessage {
  readonly type: "lifecycle";
  readonly event: LifecycleEvent;
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

/** Post-session stage progress for one episode (or the session's detect and metadata). */
export interface ProgressMessage extends StageProgress {
  readonly type: "progress";
}

/**
 * Whether the daemon's live pipeline runs: `live` in every snapshot; `failed` just before a daemon
 * whose live path cannot go on exits (the service manager restarts it); `stopping` on a stop.
 */
export interface DaemonMessage {
  readonly type: "daemon";
  readonly state: "live" | "stopping" | "failed";
  readonly reason?: string;
}

/**
 * In the snapshot: the latest alarms from the journal, oldest first, so a page that connects has the
 * history. Alarm ids count from 1 in every run of the daemon: an entry's `run` tells them apart, and
 * an alarm of an earlier run that never cleared ended with that run.
 */
export interface HistoryMessage {
  readonly type: "history";
  /** This daemon run's id. */
  readonly run: string;
  readonly entries: readonly { readonly run: string; readonly alarm: Alarm }[];
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
  | LifecycleMessage
  | DaemonMessage
  | HistoryMessage
  | RejectedMessage;
