import type { TapMessage } from "../hw/tap/protocol.js";
import type { LifecycleEvent, SessionCloseReason, TakeState, TakeStateName } from "./TakeState.js";

interface Take {
  readonly episode: number;
  readonly path: string;
  /** Receive clock. */
  readonly startedRx: number;
  readonly startedAt: string;
  /** Joined mid-take (daemon restarted during it): no start gate, no history before. */
  readonly joined: boolean;
}

export interface LifecycleStep {
  readonly events: readonly LifecycleEvent[];
  /** A take the daemon learns of without its `episode_start` (it joined mid-take). */
  readonly joined?: { readonly episode: number; readonly path: string };
  readonly changed: boolean;
}

/**
 * The daemon's view of the session: idle → take → between takes → session closed. Driven by tap
 * messages and the receive clock; a daemon (re)started mid-take joins the take from the recorder's
 * hello or ticks, and a recorder restarted mid-take closes that take as interrupted.
 */
export class TakeLifecycle {
  private stateName: TakeStateName = "idle";
  private take: Take | undefined;
  private last: { episode: number; path: string; framesWritten: number; framesDropped: number } | undefined;
  private betweenSinceRx: number | undefined;
  private readonly sessionEpisodes: string[] = [];

  constructor(
    private readonly idleTimeoutS: number,
    private readonly wallNow: () => Date = () => new Date(),
  ) {}

  get state(): TakeStateName {
    return this.stateName;
  }

  get current(): Take | undefined {
    return this.take;
  }

  onMessage(message: TapMessage, rx: number): LifecycleStep {
    switch (message.topic) {
      case "episode_start": {
        const events = this.closeTake(true);
        this.begin(message.episode, message.path, rx, false);
        return { events, changed: true };
      }
      case "episode_end": {
        if (!this.take || this.take.episode !== message.episode) {
          // The daemon missed the start (it was down): the file is still the session's.
          this.sessionEpisodes.push(message.path);
        }
        this.take = undefined;
        this.last = {
          episode: message.episode,
          path: message.path,
          framesWritten: message.framesWritten,
          framesDropped: message.framesDropped,
        };
        this.stateName = "between";
        this.betweenSinceRx = rx;
        return {
          events: [
            {
              type: "episode_closed",
              episode: message.episode,
              path: message.path,
              framesWritten: message.framesWritten,
              framesDropped: message.framesDropped,
              interrupted: false,
            },
          ],
          changed: true,
        };
      }
      case "hello": {
        const recording = message.recording;
        if (recording && this.take?.episode !== recording.episode)
          return this.join(recording.episode, recording.path, rx);
        if (!recording && this.take) {
          // A recorder that says it records nothing while we think a take runs has restarted.
          const events = this.closeTake(true);
          return { events, changed: true };
        }
        return { events: [], changed: false };
      }
      case "tick":
        return { events: [], changed: false };
      case "bye":
        return this.closeSession("recorder_quit");
      case "session_end":
        return this.closeSession("operator");
      case "ref_reset":
        return { events: [], changed: false };
    }
  }

  /** Receive-clock tick: closes the session after `idleTimeoutS` between takes. */
  onClock(rx: number): LifecycleStep {
    if (
      this.stateName === "between" &&
      this.betweenSinceRx !== undefined &&
      rx - this.betweenSinceRx >= this.idleTimeoutS
    )
      return this.closeSession("idle_timeout");
    return { events: [], changed: false };
  }

  /** The take now (receive clock `rx`): the running one, else the last one. */
  view(rx: number): TakeState {
    const take = this.take;
    if (take)
      return {
        state: this.stateName,
        episode: take.episode,
        path: take.path,
        startedAt: take.startedAt,
        elapsedS: Math.round((rx - take.startedRx) * 10) / 10,
      };
    const last = this.last;
    return {
      state: this.stateName,
      ...(last
        ? {
            episode: last.episode,
            path: last.path,
            framesWritten: last.framesWritten,
            framesDropped: last.framesDropped,
          }
        : {}),
    };
  }

  private join(episode: number, path: string, rx: number): LifecycleStep {
    const events = this.closeTake(true);
    this.begin(episode, path, rx, true);
    return { events, joined: { episode, path }, changed: true };
  }

  private begin(episode: number, path: string, rx: number, joined: boolean): void {
    if (this.stateName === "closed") this.sessionEpisodes.length = 0;
    this.take = { episode, path, startedRx: rx, startedAt: this.wallNow().toISOString(), joined };
    this.sessionEpisodes.push(path);
    this.stateName = "take";
    this.betweenSinceRx = undefined;
  }

  /** Closes a running take that never got its `episode_end`. */
  private closeTake(interrupted: boolean): LifecycleEvent[] {
    const take = this.take;
    if (!take) return [];
    this.take = undefined;
    this.stateName = "between";
    return [
      {
        type: "episode_closed",
        episode: take.episode,
        path: take.path,
        framesWritten: null,
        framesDropped: null,
        interrupted,
      },
    ];
  }

  private closeSession(reason: SessionCloseReason): LifecycleStep {
    if (this.stateName === "closed") return { events: [], changed: false };
    const events = [...this.closeTake(true)];
    events.push({ type: "session_closed", reason, episodes: [...this.sessionEpisodes] });
    this.stateName = "closed";
    this.betweenSinceRx = undefined;
    return { events, changed: true };
  }
}
