import { BehaviorSubject, type Observable, Subject } from "rxjs";
import { Subscriber } from "zeromq";
import { decodeTapMessage } from "./decodeTapMessage.js";
import type { TapMessage } from "./protocol.js";
import { SequenceTracker } from "./SequenceTracker.js";

export interface TapStatus {
  /** waiting: nothing received yet; connected: messages flowing; silent: nothing for `silentAfterS`. */
  readonly state: "waiting" | "connected" | "silent";
  readonly sender?: string;
  /** Messages lost on the wire (sequence gaps), since start. */
  readonly lost: number;
  /** Ticks the recorder's module dropped itself, as its latest header says. */
  readonly recorderDropped: number;
  /** Messages that did not decode. */
  readonly rejected: number;
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
  | { readonly type: "rejected"; readonly rx: number; readonly error: string };

export interface TapSubscriberOptions {
  readonly endpoint: string;
  readonly silentAfterS: number;
  /** Receive clock in seconds (the daemon's). */
  readonly clock: () => number;
  /** How often silence is checked. */
  readonly checkMs?: number;
}

/**
 * rigwatch's end of the recorder tap: a ZeroMQ SUB socket connected to the recorder's PUB. ZeroMQ
 * reconnects by itself when the recorder restarts; this class says so (`lost`, `found`,
 * `restarted`), counts drops from sequence gaps and never dies on a bad message.
 */
export class TapSubscriber {
  readonly messages$: Observable<TapReceived>;
  readonly notices$: Observable<TapNotice>;
  private readonly messages = new Subject<TapReceived>();
  private readonly notices = new Subject<TapNotice>();
  private readonly statusSubject: BehaviorSubject<TapStatus>;
  private readonly socket = new Subscriber();
  private readonly sequence = new SequenceTracker();
  private timer: NodeJS.Timeout | undefined;
  private closing = false;
  private loop: Promise<void> | undefined;

  constructor(private readonly options: TapSubscriberOptions) {
    this.messages$ = this.messages.asObservable();
    this.notices$ = this.notices.asObservable();
    this.statusSubject = new BehaviorSubject<TapStatus>({
      state: "waiting",
      lost: 0,
      recorderDropped: 0,
      rejected: 0,
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
      this.update({ rejected: this.status.rejected + 1 });
      this.notices.next({ type: "rejected", rx, error: (error as Error).message });
      return;
    }
    const verdict = this.sequence.push(message.sender, message.seq);
    const wasQuiet = this.status.state !== "connected";
    this.update({
      state: "connected",
      sender: message.sender,
      lost: this.sequence.lost,
      recorderDropped: message.dropped,
      lastRx: rx,
    });
    if (verdict.kind === "restarted")
      this.notices.next({ type: "restarted", rx, sender: message.sender, previous: verdict.previous });
    if (verdict.kind === "gap") this.notices.next({ type: "gap", rx, lost: verdict.lost });
    if (wasQuiet) this.notices.next({ type: "found", rx, sender: message.sender });
    this.messages.next({ message, rx });
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
