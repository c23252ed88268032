import type { HubMessage } from "../daemon/hubMessages.js";

export type ConnectionState =
  | { readonly kind: "connecting" }
  | { readonly kind: "open" }
  | { readonly kind: "waiting"; readonly retryAt: number; readonly reason: string };

export interface HubConnectionOptions {
  /** `ws://host/ws?token=…` */
  readonly url: string;
  readonly onMessage: (message: HubMessage, now: number) => void;
  /** First retry delay; it doubles up to `maxDelayMs` and starts over once a connection delivers. */
  readonly minDelayMs?: number;
  readonly maxDelayMs?: number;
  /** An open socket that has been silent this long is presumed dead (the daemon sends health every 0.5 s). */
  readonly silenceMs?: number;
}

/**
 * The page's one WebSocket to `/ws`, reopened with exponential backoff whenever it closes or falls
 * silent, for as long as the page is open.
 */
export class HubConnection {
  #socket: WebSocket | undefined;
  #state: ConnectionState = { kind: "connecting" };
  #delayMs: number;
  #lastMessageAt = 0;
  readonly #options: Required<HubConnectionOptions>;

  constructor(options: HubConnectionOptions) {
    this.#options = { minDelayMs: 250, maxDelayMs: 5000, silenceMs: 4000, ...options };
    this.#delayMs = this.#options.minDelayMs;
  }

  get state(): ConnectionState {
    return this.#state;
  }

  start(): void {
    this.#open();
    // A half-open TCP connection (daemon frozen, cable pulled) never closes by itself.
    setInterval(() => {
      if (this.#state.kind === "open" && performance.now() - this.#lastMessageAt > this.#options.silenceMs) {
        this.#socket?.close();
        this.#retry("no data from the daemon");
      }
    }, 500);
  }

  #open(): void {
    this.#state = { kind: "connecting" };
    const socket = new WebSocket(this.#options.url);
    this.#socket = socket;
    socket.onopen = () => {
      if (this.#socket !== socket) return;
      this.#state = { kind: "open" };
      this.#lastMessageAt = performance.now();
    };
    socket.onmessage = (event: MessageEvent) => {
      if (this.#socket !== socket) return;
      const now = performance.now();
      this.#lastMessageAt = now;
      this.#delayMs = this.#options.minDelayMs;
      let message: HubMessage;
      try {
        message = JSON.parse(String(event.data)) as HubMessage;
      } catch {
        return; // Not JSON: nothing the page can show.
      }
      if (typeof message === "object" && message !== null && typeof message.type === "string") {
        this.#options.onMessage(message, now);
      }
    };
    socket.onclose = (event: CloseEvent) => {
      if (this.#socket !== socket) return;
      this.#retry(event.reason || (event.code === 1006 ? "connection lost" : `closed (${event.code})`));
    };
  }

  #retry(reason: string): void {
    this.#socket = undefined;
    const delay = this.#delayMs;
    this.#delayMs = Math.min(this.#options.maxDelayMs, this.#delayMs * 2);
    this.#state = { kind: "waiting", retryAt: performance.now() + delay, reason };
    setTimeout(() => this.#open(), delay);
  }
}
