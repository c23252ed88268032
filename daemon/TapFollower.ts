import type { LiveInput, StreamName, TickSample } from "../detectors/samples.js";
import type { HelloMessage, TapMessage } from "../hw/tap/protocol.js";
import type { TapNotice, TapReceived } from "../hw/tap/TapSubscriber.js";
import { TakeLifecycle } from "./TakeLifecycle.js";
import type { LifecycleEvent } from "./TakeState.js";

export interface FollowerStep {
  readonly inputs: readonly LiveInput[];
  readonly events: readonly LifecycleEvent[];
  readonly changed: boolean;
}

const NOTHING: FollowerStep = { inputs: [], events: [], changed: false };

/**
 * Turns what the recorder tap delivers into detector inputs (ticks, take events, tap lost/found)
 * and lifecycle events for the stage scheduler, keeping the two consistent: a take the daemon joins
 * mid-way gets a start (without a gate), a take interrupted by a recorder restart gets an end.
 */
export class TapFollower {
  readonly lifecycle: TakeLifecycle;
  private hello: HelloMessage | undefined;

  constructor(idleTimeoutS: number, wallNow?: () => Date) {
    this.lifecycle = new TakeLifecycle(idleTimeoutS, wallNow);
  }

  get rig(): HelloMessage["rig"] | undefined {
    return this.hello?.rig;
  }

  onReceived({ message, rx }: TapReceived): FollowerStep {
    if (message.topic === "hello") this.hello = message;
    const step = this.lifecycle.onMessage(message, rx);
    const inputs: LiveInput[] = [];
    const t = sourceTime(message);
    for (const event of step.events)
      if (event.type === "episode_closed" && event.interrupted)
        inputs.push({
          type: "episode_end",
          t,
          episode: event.episode,
          path: event.path,
          framesWritten: 0,
          framesDropped: 0,
        });
    if (step.joined)
      inputs.push({
        type: "episode_start",
        t,
        episode: step.joined.episode,
        path: step.joined.path,
        ...this.activeBodies(undefined),
        gate: false,
      });
    inputs.push(...this.inputsOf(message));
    return { inputs, events: step.events, changed: step.changed };
  }

  onNotice(notice: TapNotice, wallT: number): FollowerStep {
    if (notice.type !== "lost" && notice.type !== "found") return NOTHING;
    return {
      inputs: [{ type: "source", source: "tap", state: notice.type, t: wallT }],
      events: [],
      changed: true,
    };
  }

  onClock(rx: number): FollowerStep {
    const step = this.lifecycle.onClock(rx);
    return { inputs: [], events: step.events, changed: step.changed };
  }

  private inputsOf(message: TapMessage): LiveInput[] {
    switch (message.topic) {
      case "tick": {
        // A tick carrying an episode the daemon does not know means it joined late: the hello joins it.
        const streams: TickSample["streams"] = Object.fromEntries(
          message.streams.map((s) => [s.name as StreamName, { hash: s.hash, thumb: s.thumb }]),
        );
        return [{ type: "tick", tick: { frame: message.frame, t: message.ts, streams } }];
      }
      case "episode_start":
        return [
          {
            type: "episode_start",
            t: message.ts,
            episode: message.episode,
            path: message.path,
            ...this.activeBodies(message.activeBodies),
            gate: true,
          },
        ];
      case "episode_end":
        return [
          {
            type: "episode_end",
            t: message.ts,
            episode: message.episode,
            path: message.path,
            framesWritten: message.framesWritten,
            framesDropped: message.framesDropped,
          },
        ];
      case "ref_reset":
        return [{ type: "ref_reset", t: message.ts }];
      default:
        return [];
    }
  }

  /** The take's active bodies: the recorder's list, else the rig's bodies minus inactive sensors. */
  private activeBodies(given: readonly string[] | undefined): { activeBodies?: readonly string[] } {
    if (given) return { activeBodies: given };
    const rig = this.hello?.rig;
    if (!rig || rig.bodies.length === 0) return {};
    const sides = new Set(rig.activeSensors);
    const activeBodies = rig.bodies.filter((body) => {
      const side = /^sensor_(.+)$/.exec(body)?.[1];
      return side === undefined || sides.size === 0 || sides.has(side);
    });
    return { activeBodies };
  }
}

/** The camera-clock time a message speaks for. */
function sourceTime(message: TapMessage): number {
  return "ts" in message ? message.ts : message.t;
}
