/**
 * The recorder tap's wire format (docs/tap-protocol.md): ZeroMQ multipart messages
 * `[topic, header JSON, ...binary parts]`. The recorder publishes ticks and takes; rigwatch publishes
 * alarms and commands back on a second socket. Every header carries the sender's id and a sequence
 * number so drops are seen (ZeroMQ drops silently at the high-water mark).
 */

export const TAP_PROTOCOL_VERSION = 1;

export const TAP_TOPICS = [
  "hello",
  "tick",
  "episode_start",
  "episode_end",
  "ref_reset",
  "session_end",
  "bye",
] as const;
export type TapTopic = (typeof TAP_TOPICS)[number];

/** Fields every recorder → rigwatch header has. */
export interface TapEnvelope {
  /** Protocol version. */
  readonly v: number;
  /** Random id of the publishing process: a new id means the recorder restarted. */
  readonly sender: string;
  /** Per-sender message counter from 0; a gap is messages lost on the way. */
  readonly seq: number;
  /** Sender's wall clock (Unix seconds) when the message was made. */
  readonly t: number;
  /** Ticks the recorder's module dropped itself (queue full), cumulative. */
  readonly dropped: number;
}

export interface RigStream {
  readonly name: string;
  readonly kind: "realsense" | "gelsight";
  /** Byte order of the stream's colour frames (and thumbnails). */
  readonly order: "BGR" | "RGB";
  readonly serial?: string;
}

export interface Recording {
  readonly episode: number;
  readonly path: string;
  /** Camera clock (Unix seconds) of the take's start. */
  readonly startedTs: number;
}

export interface HelloMessage extends TapEnvelope {
  readonly topic: "hello";
  readonly rig: {
    readonly streams: readonly RigStream[];
    readonly bodies: readonly string[];
    readonly activeSensors: readonly string[];
    readonly fps: number;
  };
  /** The take being recorded now, so a daemon that (re)starts mid-take joins it. */
  readonly recording: Recording | null;
}

export interface TickStream {
  readonly name: string;
  /** Content hash of the full-resolution frame (equal = bitwise equal). */
  readonly hash: string;
  /** 128×128×3 uint8 HWC in the stream's byte order. */
  readonly thumb: Uint8Array;
}

export interface TickMessage extends TapEnvelope {
  readonly topic: "tick";
  /** Camera frame index within the take (or the recorder's running counter between takes). */
  readonly frame: number;
  /** Camera timestamp, Unix seconds. */
  readonly ts: number;
  /** Episode being recorded, or null between takes. */
  readonly episode: number | null;
  readonly streams: readonly TickStream[];
}

export interface EpisodeStartMessage extends TapEnvelope {
  readonly topic: "episode_start";
  readonly episode: number;
  readonly path: string;
  readonly ts: number;
  /** Bodies the take needs tracked; absent = rigwatch's config decides. */
  readonly activeBodies?: readonly string[];
}

export interface EpisodeEndMessage extends TapEnvelope {
  readonly topic: "episode_end";
  readonly episode: number;
  readonly path: string;
  readonly ts: number;
  readonly framesWritten: number;
  readonly framesDropped: number;
}

export interface RefResetMessage extends TapEnvelope {
  readonly topic: "ref_reset";
  readonly ts: number;
}

/** The operator closed the session explicitly: the post-session stages may run. */
export interface SessionEndMessage extends TapEnvelope {
  readonly topic: "session_end";
  readonly reason: string;
}

/** The recorder is quitting. */
export interface ByeMessage extends TapEnvelope {
  readonly topic: "bye";
}

export type TapMessage =
  | HelloMessage
  | TickMessage
  | EpisodeStartMessage
  | EpisodeEndMessage
  | RefResetMessage
  | SessionEndMessage
  | ByeMessage;

/** rigwatch → recorder, on the alarm socket. */
export type RecorderMessage =
  | { readonly topic: "alarm"; readonly alarm: object }
  /** Every second: the alarms still raised, so a recorder that (re)connects draws the right ones. */
  | { readonly topic: "alarms"; readonly active: readonly object[] }
  /** The watchdog's order: stop and save the take. Repeated every second while it stands. */
  | {
      readonly topic: "command";
      readonly command: "stop_take";
      readonly episode: number;
      readonly reason: string;
    };

export const THUMB_SHAPE = [128, 128, 3] as const;
