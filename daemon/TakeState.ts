/** Where the daemon's session stands: idle → take → between takes → closed. */
export type TakeStateName = "idle" | "take" | "between" | "closed";

/** The take as the daemon follows it: the running one, else the last one. */
export interface TakeState {
  readonly state: TakeStateName;
  /** The recorder's episode number. */
  readonly episode?: number;
  readonly path?: string;
  /** Wall-clock ISO time the current or last take started. */
  readonly startedAt?: string;
  readonly elapsedS?: number;
  readonly framesWritten?: number;
  readonly framesDropped?: number;
}

export type SessionCloseReason = "recorder_quit" | "idle_timeout" | "operator";

/** Takes and sessions closing: what the stage scheduler hears. */
export type LifecycleEvent =
  | {
      readonly type: "episode_closed";
      readonly episode: number;
      readonly path: string;
      readonly framesWritten: number | null;
      readonly framesDropped: number | null;
      /** The recorder went away mid-take (killed, restarted): the file may be incomplete. */
      readonly interrupted: boolean;
    }
  | {
      readonly type: "session_closed";
      readonly reason: SessionCloseReason;
      readonly episodes: readonly string[];
    };
