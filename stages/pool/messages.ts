import type { SerializedError } from "./serializedError.js";

/** A unit of work: a module (file URL), one of its exported functions and structured-cloneable arguments. */
export interface PoolTask {
  readonly module: string;
  readonly fn: string;
  readonly args: readonly unknown[];
}

/** Pool → worker. */
export interface TaskMessage extends PoolTask {
  readonly id: number;
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
