/**
 * The contract between sources (hw/) and detectors: live NatNet, the recorder tap and H5 replay all
 * emit these shapes, so the detectors cannot tell live from replay.
 */

/** One OptiTrack rigid-body sample as it arrived. Times are seconds. */
export interface PoseSample {
  readonly body: string;
  /** Source time: the capture time the sender stamped (Motive, or the recorder's OT timestamps). */
  readonly t: number;
  /** Receive time on this machine; equals `t` in replay. */
  readonly rx: number;
  /** Metres, [x, y, z]. */
  readonly position: readonly [number, number, number];
  /** [qx, qy, qz, qw], not necessarily normalised. */
  readonly quaternion: readonly [number, number, number, number];
  /** NatNet tracking-valid bit; replay sets it from the pose itself (finite, |q| ≥ 0.5). */
  readonly valid: boolean;
  /** Mean marker error in metres when the source knows it. */
  readonly meanMarkerError?: number;
}

/** The five image streams of a tick, by their H5 dataset names. */
export const CAMERA_STREAMS = ["cam0", "cam1", "cam2"] as const;
export const TACTILE_SIDES = ["left", "right"] as const;
export type CameraStream = (typeof CAMERA_STREAMS)[number];
export type Side = (typeof TACTILE_SIDES)[number];
export type StreamName = CameraStream | `gel_${Side}`;

/** Side of the rig a sensor body belongs to. */
export const SENSOR_BODY: Readonly<Record<Side, string>> = { left: "sensor_left", right: "sensor_right" };

/** What a detector sees of one image of a tick. */
export interface StreamFrame {
  /** Content hash of the full-resolution frame: equal hashes mean bitwise-equal frames. */
  readonly hash: string;
  /** 128×128×3 uint8, HWC, in the stream's own byte order (BGR cameras, RGB GelSight). */
  readonly thumb?: Uint8Array;
}

/** One camera tick: every image stream sampled at the recorder's tick. */
export interface TickSample {
  /** Camera frame index within the take (H5 index in replay). */
  readonly frame: number;
  /** Camera timestamp, Unix seconds. */
  readonly t: number;
  readonly streams: Partial<Record<StreamName, StreamFrame>>;
}

export type EpisodeEvent =
  | {
      readonly type: "episode_start";
      readonly t: number;
      /** The recorder's episode number; absent for a file whose name carries none. */
      readonly episode?: number;
      readonly path?: string;
      /** Bodies the take needs tracked (the recorder's active sensors); absent = config or every body seen. */
      readonly activeBodies?: readonly string[];
      /**
       * The source watched OT before the take, so the start gate can judge it (live). Replay has no
       * history before a take's first frame; a daemon joining a running take has none either.
       */
      readonly gate?: boolean;
    }
  | {
      readonly type: "episode_end";
      readonly t: number;
      readonly episode?: number;
      readonly path?: string;
      readonly framesWritten: number;
      readonly framesDropped: number;
    }
  | { readonly type: "ref_reset"; readonly t: number };

/** A source-time clock tick: lets silence be noticed when nothing else arrives. */
export interface ClockTick {
  readonly type: "clock";
  readonly t: number;
}

/** A source (the recorder tap) stopped or resumed delivering; `t` on the camera clock. */
export interface SourceEvent {
  readonly type: "source";
  readonly source: string;
  readonly state: "lost" | "found";
  readonly t: number;
}

/** Everything the live detectors consume, from NatNet, the recorder tap or an H5 replay. */
export type LiveInput =
  | { readonly type: "pose"; readonly sample: PoseSample }
  | { readonly type: "tick"; readonly tick: TickSample }
  | ClockTick
  | SourceEvent
  | EpisodeEvent;
