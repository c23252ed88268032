import type { TapMessage } from "./protocol.js";
import { SequenceTracker, type SequenceVerdict } from "./SequenceTracker.js";

/** Why a well-formed tap message was not believed. */
export type TapRejection =
  /** Not a tap message at all (TapDecodeError). */
  | "malformed"
  /** A time stamped too far ahead of, or behind, this machine's clock. */
  | "time"
  /** A tick no later than the sender's previous tick. */
  | "tick_back"
  /** A sequence number at or below one already seen. */
  | "seq_back"
  /** A sequence number further ahead than the sender could have counted. */
  | "seq_jump"
  /** The recorder's drop counter going back, or up faster than it could. */
  | "counter"
  /** A second sender while the current one is alive. */
  | "second_sender";

export interface TapGuardOptions {
  /** Times further ahead of the receive clock than this are refused (s). */
  readonly maxAheadS: number;
  /** Times further behind the receive clock than this are refused (s). */
  readonly maxBehindS: number;
  /** Another sender replaces the current one only after the current has been silent this long (s). */
  readonly senderTakeoverS: number;
  /** The most messages (and dropped ticks) a recorder can produce per second; bounds seq and counter jumps. */
  readonly maxRatePerS?: number;
}

export type TapAdmission =
  | { readonly ok: true; readonly sequence: SequenceVerdict }
  | { readonly ok: false; readonly reason: TapRejection; readonly detail: string };

/**
 * Whether a decoded tap message can be believed, judged against what came before it: times close to
 * this machine's clock (the recorder shares it), ticks moving forward, sequence numbers and drop
 * counters that only move as fast as a recorder can, one sender at a time. A message refused here
 * changes nothing: not the sequence count, not the current sender, not the detectors' clock.
 */
export class TapGuard {
  private readonly sequence = new SequenceTracker();
  private lastRx: number | undefined;
  private lastTickTs: number | undefined;
  private lastDropped: number | undefined;
  private readonly maxRate: number;

  constructor(private readonly options: TapGuardOptions) {
    this.maxRate = options.maxRatePerS ?? 1000;
  }

  /** Messages lost on the wire (sequence gaps of the believed messages). */
  get lost(): number {
    return this.sequence.lost;
  }

  admit(message: TapMessage, rx: number): TapAdmission {
    const time = this.timeProblem(message, rx);
    if (time) return { ok: false, reason: "time", detail: time };
    const current = this.sequence.currentSender;
    const takeover = current !== undefined && current !== message.sender;
    if (takeover && this.lastRx !== undefined && rx - this.lastRx < this.options.senderTakeoverS)
      return {
        ok: false,
        reason: "second_sender",
        detail: `sender ${message.sender} while ${current} is live (last heard ${(rx - this.lastRx).toFixed(3)} s ago)`,
      };
    const allowance =
      this.lastRx === undefined || takeover ? 0 : Math.max(0, rx - this.lastRx) * this.maxRate + this.maxRate;
    if (!takeover && current !== undefined) {
      if (message.topic === "tick" && this.lastTickTs !== undefined && !(message.ts > this.lastTickTs))
        return {
          ok: false,
          reason: "tick_back",
          detail: `tick ts ${message.ts} is not after the previous ${this.lastTickTs}`,
        };
      if (this.lastDropped !== undefined) {
        const step = message.dropped - this.lastDropped;
        if (step < 0 || step > allowance)
          return {
            ok: false,
            reason: "counter",
            detail: `dropped ${message.dropped} after ${this.lastDropped}`,
          };
      }
    }
    const verdict = this.sequence.push(
      message.sender,
      message.seq,
      takeover ? Number.POSITIVE_INFINITY : allowance,
    );
    if (verdict.kind === "behind")
      return {
        ok: false,
        reason: "seq_back",
        detail: `seq ${message.seq}, expected ${verdict.expected} or more`,
      };
    if (verdict.kind === "implausible")
      return { ok: false, reason: "seq_jump", detail: `seq ${message.seq} jumps ${verdict.jump} ahead` };
    if (verdict.kind === "restarted") this.lastTickTs = undefined;
    this.lastRx = rx;
    this.lastDropped = message.dropped;
    if (message.topic === "tick") this.lastTickTs = message.ts;
    return { ok: true, sequence: verdict };
  }

  /** Every time a message carries, against the receive clock. `started_ts` may be long ago (a long take). */
  private timeProblem(message: TapMessage, rx: number): string | undefined {
    const { maxAheadS, maxBehindS } = this.options;
    const times: [string, number, boolean][] = [["t", message.t, true]];
    if ("ts" in message) times.push(["ts", message.ts, true]);
    if (message.topic === "hello" && message.recording)
      times.push(["recording.started_ts", message.recording.startedTs, false]);
    for (const [field, t, bounded] of times) {
      if (t - rx > maxAheadS)
        return `${field} ${t} is ${(t - rx).toPrecision(3)} s ahead of this machine's clock`;
      if (bounded && rx - t > maxBehindS)
        return `${field} ${t} is ${(rx - t).toPrecision(3)} s behind this machine's clock`;
    }
    return undefined;
  }
}
