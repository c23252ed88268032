import { BehaviorSubject, type Observable, Subject, type Subscription } from "rxjs";

/** A live source the supervisor can start, watch and replace (a NatNet client, a tap subscriber). */
export interface Supervisable {
  start(): Promise<void> | void;
  close(): Promise<void>;
}

/** What happened to a supervised source. */
export type SupervisorEvent =
  | {
      readonly type: "failed";
      readonly source: string;
      readonly error: unknown;
      readonly restartInMs: number;
    }
  | { readonly type: "restarted"; readonly source: string; readonly attempt: number }
  | {
      readonly type: "restart_failed";
      readonly source: string;
      readonly error: unknown;
      readonly attempt: number;
    };

export interface SourceSupervisorOptions<S extends Supervisable> {
  /** The source's name in alarms and logs ("natnet", "tap"). */
  readonly name: string;
  /** Makes a fresh, unstarted source. */
  readonly create: () => S;
  /** Errors (or completes) when the source has died; the supervisor then replaces it. */
  readonly failures: (source: S) => Observable<unknown>;
  /** First restart delay, doubled after every failed attempt up to `maxDelayMs`; default 250 ms. */
  readonly minDelayMs?: number;
  /** Default 5000 ms. */
  readonly maxDelayMs?: number;
}

/**
 * Keeps one live source running: when it dies (its socket closed or failed), it is closed, and a new
 * one is made and started after a backoff that doubles while restarts fail. `current$` always holds
 * the running instance (undefined between a failure and the restart), so the daemon's merged stream
 * follows it instead of ending with it. The first start is not retried: a source that cannot start
 * at all (a bad endpoint) is a start-up failure the caller reports.
 */
export class SourceSupervisor<S extends Supervisable> {
  readonly current$: BehaviorSubject<S | undefined> = new BehaviorSubject<S | undefined>(undefined);
  readonly events$: Observable<SupervisorEvent>;
  readonly #events = new Subject<SupervisorEvent>();
  readonly #options: Required<SourceSupervisorOptions<S>>;
  #watch: Subscription | undefined;
  #timer: NodeJS.Timeout | undefined;
  #delayMs: number;
  #attempt = 0;
  #restarts = 0;
  #closed = false;

  constructor(options: SourceSupervisorOptions<S>) {
    this.#options = { minDelayMs: 250, maxDelayMs: 5000, ...options };
    this.#delayMs = this.#options.minDelayMs;
    this.events$ = this.#events.asObservable();
  }

  get current(): S | undefined {
    return this.current$.value;
  }

  /** Restarts that succeeded since start. */
  get restarts(): number {
    return this.#restarts;
  }

  /** Makes and starts the first instance; throws (having closed it) when it cannot start. */
  async start(): Promise<void> {
    const source = this.#options.create();
    try {
      await source.start();
    } catch (error) {
      await source.close().catch(() => undefined);
      throw error;
    }
    this.#adopt(source);
  }

  /** Stops restarting and closes the running instance. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#watch?.unsubscribe();
    const source = this.current;
    this.current$.next(undefined);
    this.current$.complete();
    this.#events.complete();
    await source?.close();
  }

  #adopt(source: S): void {
    this.current$.next(source);
    this.#watch = this.#options.failures(source).subscribe({
      error: (error: unknown) => this.#failed(source, error),
      complete: () => this.#failed(source, new Error(`${this.#options.name} source ended`)),
    });
  }

  #failed(source: S, error: unknown): void {
    if (this.#closed || this.current !== source) return;
    this.#watch?.unsubscribe();
    this.current$.next(undefined);
    source.close().catch(() => undefined);
    this.#events.next({ type: "failed", source: this.#options.name, error, restartInMs: this.#delayMs });
    this.#schedule();
  }

  #schedule(): void {
    const delay = this.#delayMs;
    this.#delayMs = Math.min(this.#delayMs * 2, this.#options.maxDelayMs);
    this.#timer = setTimeout(() => void this.#restart(), delay);
  }

  async #restart(): Promise<void> {
    if (this.#closed) return;
    this.#attempt++;
    const source = this.#options.create();
    try {
      await source.start();
    } catch (error) {
      await source.close().catch(() => undefined);
      if (this.#closed) return;
      this.#events.next({
        type: "restart_failed",
        source: this.#options.name,
        error,
        attempt: this.#attempt,
      });
      this.#schedule();
      return;
    }
    if (this.#closed) {
      await source.close();
      return;
    }
    this.#restarts++;
    this.#delayMs = this.#options.minDelayMs;
    this.#events.next({ type: "restarted", source: this.#options.name, attempt: this.#attempt });
    this.#attempt = 0;
    this.#adopt(source);
  }
}
