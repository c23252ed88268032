import type { SerializedError } from "./serializedError.js";

/**
 * A unit of work: a module (file URL), one of its exported functions, structured-cloneable arguments,
 * and how this thread reads the function's result back: it crosses the thread as plain data, so
 * `reply` checks it and gives it its type (and throws when it is not what the task returns).
 */
export interface PoolTask<T> {
  readonly module: string;
  readonly fn: string;
  readonly args: readonly unknown[];
  readonly reply: (value: unknown) => T;
}

/** Pool → worker. */
export interface TaskMessage {
  readonly id: number;
  readonly module: string;
  readonly fn: string;
  readonly args: readonly unknown[];
}

/** Worker → pool. */
export type TaskReply =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | {
      readonly id: number;
      readonly ok: false;
      readonly error: SerializedError;
      /** The worker cannot run another task (its wasm instance aborted): replace it. */
      readonly retire: boolean;
    };
