import { createRequire } from "node:module";
import { extname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
// sharp (libvips) must be loaded by the main thread before workers load it, so its shared libraries
// outlive every worker (sharp's documented requirement on glibc Linux); the previews stage uses it.
import "sharp";
import type { PoolTask, TaskMessage, TaskReply } from "./messages.js";
import { PoolClosedError, TaskError, TaskReplyError, WorkerCrashedError } from "./TaskError.js";

interface Pending {
  readonly message: TaskMessage;
  /** Takes the worker's reply through the task's `reply` into its promise. */
  readonly settle: (value: unknown) => void;
  readonly reject: (error: Error) => void;
}

interface Slot {
  worker: Worker | undefined;
  running: Pending | undefined;
}

export interface WorkerPoolOptions {
  /** Worker threads, each with its own module instances (its own h5wasm heap). */
  readonly size: number;
}

/**
 * The worker thread's entry. Run from sources (tsx, vitest) the worker is a .ts file; Node 20 does not
 * carry `--import` loader hooks into worker threads, so a one-line bootstrap registers tsx first.
 */
function startWorker(): Worker {
  const ext = extname(fileURLToPath(import.meta.url));
  const entry = new URL(`./poolWorker${ext}`, import.meta.url);
  if (ext !== ".ts") return new Worker(entry);
  // require.resolve gives the CommonJS build of tsx/esm/api; its ES module build sits beside it.
  const api = createRequire(import.meta.url)
    .resolve("tsx/esm/api")
    .replace(/\.cjs$/, ".mjs");
  const bootstrap = `import(${JSON.stringify(pathToFileURL(api).href)})
    .then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(bootstrap, { eval: true });
}

const describe = (task: { fn: string; args: readonly unknown[] }) =>
  `${task.fn}(${JSON.stringify(task.args).slice(1, -1)})`;

/**
 * A fixed number of worker threads running tasks (a module, a function name, JSON arguments) in
 * arrival order; a result comes back through the task's `reply`, typed (a reply that is not what the
 * task returns rejects, a TaskReplyError). A task's error comes back as a TaskError carrying the
 * thrown error's name and fields;
 * a worker that dies fails only its own task (WorkerCrashedError) and is replaced for the next one.
 * Workers start on demand and keep their loaded modules between tasks.
 */
export class WorkerPool {
  readonly #slots: Slot[];
  readonly #queue: Pending[] = [];
  #nextId = 0;
  #closed = false;

  constructor({ size }: WorkerPoolOptions) {
    if (!Number.isInteger(size) || size < 1)
      throw new RangeError(`pool size ${size} is not a positive integer`);
    this.#slots = Array.from({ length: size }, () => ({ worker: undefined, running: undefined }));
  }

  get size(): number {
    return this.#slots.length;
  }

  /** Runs `fn` of `module` (a path or file URL) in a worker; resolves with its (awaited) result. */
  run<T>(task: PoolTask<T>): Promise<T> {
    const module = task.module.startsWith("file:") ? task.module : pathToFileURL(resolve(task.module)).href;
    const message: TaskMessage = { id: this.#nextId++, module, fn: task.fn, args: task.args };
    if (this.#closed) return Promise.reject(new PoolClosedError(describe(task)));
    return new Promise<T>((resolve, reject) => {
      const settle = (value: unknown) => {
        try {
          resolve(task.reply(value));
        } catch (error) {
          reject(new TaskReplyError(describe(task), error));
        }
      };
      this.#queue.push({ message, settle, reject });
      this.#dispatch();
    });
  }

  /** Stops every worker; tasks still queued fail with PoolClosedError, running ones with WorkerCrashedError. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const pending of this.#queue.splice(0))
      pending.reject(new PoolClosedError(describe(pending.message)));
    await Promise.all(this.#slots.map(async (slot) => slot.worker?.terminate()));
  }

  #dispatch(): void {
    for (const slot of this.#slots) {
      if (slot.running !== undefined) continue;
      const next = this.#queue.shift();
      if (next === undefined) return;
      slot.running = next;
      slot.worker ??= this.#spawn(slot);
      slot.worker.postMessage(next.message);
    }
  }

  #spawn(slot: Slot): Worker {
    const worker = startWorker();
    worker.on("message", (reply: TaskReply) => {
      const pending = slot.running;
      if (pending === undefined || pending.message.id !== reply.id) return;
      slot.running = undefined;
      if (!reply.ok && reply.retire) {
        slot.worker = undefined;
        void worker.terminate();
      }
      if (reply.ok) pending.settle(reply.value);
      else pending.reject(new TaskError(describe(pending.message), reply.error));
      this.#dispatch();
    });
    const fail = (detail: string) => {
      if (slot.worker !== worker) return;
      slot.worker = undefined;
      const pending = slot.running;
      slot.running = undefined;
      pending?.reject(new WorkerCrashedError(describe(pending.message), detail));
      void worker.terminate();
      if (!this.#closed) this.#dispatch();
    };
    worker.on("error", (error) => fail(error.message));
    worker.on("exit", (code) => fail(`exited with code ${code}`));
    return worker;
  }
}
