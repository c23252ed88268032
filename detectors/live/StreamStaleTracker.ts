import type { AlarmEvent } from "../alarm.js";
import { AlarmLatch } from "./AlarmLatch.js";

export interface StreamStaleConfig {
  /** No new content (or, by presence, no frame at all) for this long = stale. */
  readonly staleS: number;
  /**
   * "content": a frame counts only when it differs from the previous one (RealSense: sensor noise
   * makes every real frame new, so a repeat is a frozen camera). "presence": any frame counts
   * (GelSight: its frames are bitwise identical while nothing touches the gel, spec §3, so only a
   * stream that stops arriving — unplugged — is stale).
   */
  readonly by: "content" | "presence";
  /** Fresh content for this long before a stale alarm clears. */
  readonly clearAfterS: number;
}

/**
 * `stream_stale` of one image stream: the age of its latest fresh frame (new content, or any frame
 * when judged by presence) passes `staleS`. A missing stream (unplugged) is never fresh. The bound is
 * on an age, not on a rate, so a stream that repeats frames by design (GelSight re-sampled onto
 * camera ticks) stays quiet as long as fresh frames keep coming, and the clear hysteresis stops a
 * stream at the edge from flapping.
 */
export class StreamStaleTracker {
  private readonly latch: AlarmLatch;
  private lastHash: string | undefined;
  private lastNewT: number | undefined;

  constructor(
    readonly stream: string,
    private readonly config: StreamStaleConfig,
  ) {
    this.latch = new AlarmLatch("stream_stale", stream, "critical", config.clearAfterS);
  }

  get raised(): boolean {
    return this.latch.raised;
  }

  /** Seconds since new content, as of `t`; undefined before the stream was first seen. */
  age(t: number): number | undefined {
    return this.lastNewT === undefined ? undefined : t - this.lastNewT;
  }

  /**
   * One tick at camera time `t`; `hash` undefined when the tick does not carry the stream.
   * `suppress`: another alarm already explains the staleness (a pipeline stall freezes every camera).
   */
  push(t: number, frame: number, hash: string | undefined, suppress = false): AlarmEvent[] {
    if (hash !== undefined && (this.config.by === "presence" || hash !== this.lastHash)) {
      this.lastHash = hash;
      this.lastNewT = t;
    }
    if (this.lastNewT === undefined) return [];
    const age = t - this.lastNewT;
    const event =
      age >= this.config.staleS
        ? suppress
          ? undefined
          : this.latch.bad(t, { ageS: round3(age), missing: hash === undefined }, frame)
        : this.latch.good(t, frame);
    return event ? [event] : [];
  }

  /** A new take: what the stream did before does not count against it. */
  reset(t: number, frame?: number): AlarmEvent[] {
    this.lastHash = undefined;
    this.lastNewT = undefined;
    const event = this.latch.clear(t, { reason: "new take" }, frame);
    return event ? [event] : [];
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
