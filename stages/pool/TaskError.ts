import type { SerializedError } from "./serializedError.js";

/**
 * A task threw in its worker. It keeps the thrown error's class name (`name`, so `CompressError`
 * stays recognisable), message and plain fields (`code`, `file`, …, also readable as properties).
 */
export class TaskError extends Error {
  override readonly name: string;
  readonly fields: Readonly<Record<string, unknown>>;
  /** The worker's error was meant for a person (see isUserFacing). */
  readonly userFacing: boolean;
  constructor(
    readonly task: string,
    remote: SerializedError,
  ) {
    super(remote.message);
    this.name = remote.name;
    this.fields = remote.fields;
    this.userFacing = remote.userFacing;
    Object.assign(this, remote.fields);
    if (remote.stack !== undefined) this.stack = `${remote.stack}\n    (in worker, task ${task})`;
  }
}

/** The worker running a task died (an uncaught error, a wasm abort, process.exit). */
export class WorkerCrashedError extends Error {
  override readonly name = "WorkerCrashedError";
  constructor(
    readonly task: string,
    readonly detail: string,
  ) {
    super(`worker died running ${task}: ${detail}`);
  }
}

/** The pool was closed before the task ran. */
export class PoolClosedError extends Error {
  override readonly name = "PoolClosedError";
  constructor(readonly task: string) {
    super(`pool closed before ${task} ran`);
  }
}

/** A task's result was not what the task says it returns (its `reply` refused it): a bug, not input. */
export class TaskReplyError extends Error {
  override readonly name = "TaskReplyError";
  constructor(
    readonly task: string,
    cause: unknown,
  ) {
    super(
      `${task} returned an unexpected result: ${cause instanceof Error ? cause.message : String(cause)}`,
      {
        cause,
      },
    );
  }
}
