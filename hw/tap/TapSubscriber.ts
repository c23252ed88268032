import { BehaviorSubject, type Observable, Subject } from "rxjs";
import { Subscriber } from "zeromq";
import { decodeTapMessage } from "./decodeTapMessage.js";
import type { TapMessage } from "./protocol.js";
import { TapGuard, type TapGuardOptions, type TapRejection } from "./TapGuard.js";

export interface TapStatus {
  /** waiting: nothing received yet; connected: messages flowing; silent: nothing for `silentAfterS`. */
  readonly state: "waiting" | "connected" | "silent";
  readonly sender?: string;
  /** Messages lost on the wire (sequence gaps), since start. */
  readonly lost: number;
  /** Ticks the recorder's module dropped itself, as its latest header says. */
  readonly recorderDropped: number;
  /** Messages refused: not decoding, or not believable (TapGuard). */
  readonly rejected: number;
  /** The same, by reason. */
  readonly rejectedBy: Readonly<Partial<Record<TapRejection, number>>>;
  /** Receive time of the latest message. */
  readonly lastRx?: number;
}

export interface TapReceived {
  readonly message: TapMessage;
  /** Receive clock, seconds. */
  readonly rx: number;
}

export type TapNotice =
  | { readonly type: "lost" | "found"; readonly rx: number; readonly sender?: string }
  | { readonly type: "restarted"; readonly rx: number; readonly sender: string; readonly previous: string }
  | { readonly type: "gap"; readonly rx: number; readonly lost: number }
  | { readonly type: "rejected"; readonly rx: number; readonly reason: TapRejection; readonly error: string };

export interface TapSubscriberOptions {
  readonly endpoint: string;
  readonly silentAfterS: number;
  /**
   * Receive clock: seconds since the Unix epoch, the clock the recorder stamps its messages with on
   * the same machine (TapGuard refuses times too far from it).
   */
  readonly clock: () => number;
  /** How often silence is checked. */
  readonly checkMs?: number;
  /** What makes a message believable (times, senders); defaults are the config's. */
  readonly guard?: TapGuardOptions;
}

/** A tick carries five 48 KB thumbnails; nothing of the tap's is larger. Bigger parts are dropped by ZeroMQ. */
const MAX_PART_BYTES = 1 << 20;

/**
 * rigwatch's end of the recorder tap: a ZeroMQ SUB socket connected to the recorder's PUB. ZeroMQ
 * reconnects by itself when the recorder restarts; this class says so (`lost`, `found`,
 * `restarted`), counts drops from sequence gaps and never dies on a bad message: a message that does
 * not decode or cannot be believed (TapGuard) is counted by reason and dropped.
 */
export class TapSubscriber {
  readonly messages$: Observable<TapReceived>;
  readonly notices$: Observable<TapNotice>;
  private readonly messages = new Subject<TapReceived>();
  private readonly notices = new Subject<TapNotice>();
  private readonly statusSubject: BehaviorSubject<TapStatus>;
  private readonly socket = new Subscriber({ maxMessageSize: MAX_PART_BYTES });
  private readonly guard: TapGuard;
  private timer: NodeJS.Timeout | undefined;
  private closing = false;
  private loop: Promise<void> | undefined;

  constructor(private readonly options: TapSubscriberOptions) {
    this.messages$ = this.messages.asObservable();
    this.notices$ = this.notices.asObservable();
    this.guard = new TapGuard(options.guard ?? { maxAheadS: 1, maxBehindS: 30, senderTakeoverS: 1 });
    this.statusSubject = new BehaviorSubject<TapStatus>({
      state: "waiting",
      lost: 0,
      recorderDropped: 0,
      rejected: 0,
      rejectedBy: {},
    });
  }

  get status(): TapStatus {
    return this.statusSubject.value;
  }

  get status$(): Observable<TapStatus> {
    return this.statusSubject.asObservable();
  }

  start(): void {
    if (this.loop) throw new Error("TapSubscriber: start() called twice");
    this.socket.connect(this.options.endpoint);
    this.socket.subscribe();
    this.loop = this.receive();
    this.timer = setInterval(() => this.checkSilence(), this.options.checkMs ?? 50);
  }

  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.timer);
    this.socket.close();
    await this.loop;
    this.messages.complete();
    this.notices.complete();
  }

  private async receive(): Promise<void> {
    try {
      for await (const parts of this.socket) this.accept(parts);
    } catch (error) {
      // Closing the socket ends the iterator with an error; anything else is a real failure.
      if (!this.closing) this.messages.error(error);
      return;
    }
    // The iterator also ends quietly when the socket is closed under us: the owner must restart it.
    if (!this.closing) this.messages.error(new Error("tap: socket closed under the subscriber"));
  }

  private accept(parts: readonly Buffer[]): void {
    const rx = this.options.clock();
    let message: TapMessage;
    try {
      message = decodeTapMessage(parts);
    } catch (error) {
      this.reject(rx, "malformed", (error as Error).message);
      return;
    }
    const admission = this.guard.admit(message, rx);
    if (!admission.ok) {
      this.reject(
        rx,
        admission.reason,
        `tap message "${message.topic}" from ${message.sender}: ${admission.detail}`,
      );
      return;
    }
    const verdict = admission.sequence;
    const wasQuiet = this.status.state !== "connected";
    this.update({
      state: "connected",
      sender: message.sender,
      lost: this.guard.lost,
      recorderDropped: message.dropped,
      lastRx: rx,
    });
    if (verdict.kind === "restarted")
      this.notices.next({ type: "restarted", rx, sender: message.sender, previous: verdict.previous });
    if (verdict.kind === "gap") this.notices.next({ type: "gap", rx, lost: verdict.lost });
    if (wasQuiet) this.notices.next({ type: "found", rx, sender: message.sender });
    this.messages.next({ message, rx });
  }

  /** Counted, said once on `notices$` (the daemon logs them at a bounded rate); nothing else changes. */
  private reject(rx: number, reason: TapRejection, error: string): void {
    const { rejected, rejectedBy } = this.status;
    this.update({
      rejected: rejected + 1,
      rejectedBy: { ...rejectedBy, [reason]: (rejectedBy[reason] ?? 0) + 1 },
    });
    this.notices.next({ type: "rejected", rx, reason, error });
  }

  private checkSilence(): void {
    const { state, lastRx, sender } = this.status;
    if (state !== "connected" || lastRx === undefined) return;
    const now = this.options.clock();
    if (now - lastRx < this.options.silentAfterS) return;
    this.update({ state: "silent" });
    this.notices.next({ type: "lost", rx: now, ...(sender ? { sender } : {}) });
  }

  private update(change: Partial<TapStatus>): void {
    this.statusSubject.next({ ...this.status, ...change });
  }
}
