import type { Logger } from "pino";
import { DaemonStartError } from "./DaemonStartError.js";

interface Started {
  readonly name: string;
  readonly stop: () => Promise<void> | void;
}

/**
 * The daemon's components in the order they started: `start` runs one and remembers how to stop it;
 * `stopAll` stops them in reverse (sinks outlive their sources), each in its own try/catch and
 * within its own time limit, so one that fails or hangs does not keep the others running.
 */
export class StartStack {
  readonly #started: Started[] = [];
  readonly #log: Logger;

  constructor(options: { readonly log: Logger }) {
    this.#log = options.log;
  }

  /** Starts `name`; a failure is a DaemonStartError naming it (the caller then stops what started). */
  async start<T>(
    name: string,
    start: () => Promise<T> | T,
    stop: (started: T) => Promise<void> | void,
  ): Promise<T> {
    let started: T;
    try {
      started = await start();
    } catch (error) {
      throw new DaemonStartError(name, error);
    }
    this.#started.push({ name, stop: () => stop(started) });
    return started;
  }

  /** Registers a stop for something already running (a timer). */
  defer(name: string, stop: () => Promise<void> | void): void {
    this.#started.push({ name, stop });
  }

  /** Stops everything in reverse order; resolves with the names of those that failed or timed out. */
  async stopAll(perStepMs = 1000): Promise<string[]> {
    const failed: string[] = [];
    while (this.#started.length > 0) {
      const { name, stop } = this.#started.pop() as Started;
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          Promise.resolve().then(stop),
          new Promise((_resolve, reject) => {
            timer = setTimeout(() => reject(new Error(`did not stop within ${perStepMs} ms`)), perStepMs);
          }),
        ]);
      } catch (error) {
        failed.push(name);
        this.#log.error({ err: error, component: name }, `stopping ${name} failed`);
      } finally {
        clearTimeout(timer);
      }
    }
    return failed;
  }
}
