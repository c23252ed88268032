import { parentPort } from "node:worker_threads";
import type { TaskMessage, TaskReply } from "./messages.js";
import { serializeError } from "./serializedError.js";

/**
 * An emscripten abort (a plugin hitting a missing symbol on a corrupt chunk, out of memory) leaves that
 * wasm instance dead for every later call, whatever the task made of the error.
 */
function abortedWasm(error: unknown): boolean {
  for (let e = error; e instanceof Error; e = e.cause) {
    // WebAssembly.RuntimeError (the project's lib settings type WebAssembly as a namespace only).
    if (e.name === "RuntimeError") return true;
  }
  return false;
}

/**
 * The worker side of WorkerPool: imports the task's module (cached after the first task, so h5wasm
 * loads once per worker), calls the named export with the arguments and posts back its result or
 * its error. One task at a time: the pool sends the next only after the reply.
 */
const port = parentPort;
if (port === null) throw new Error("poolWorker runs only as a worker thread");

async function runTask({ id, module, fn, args }: TaskMessage): Promise<TaskReply> {
  try {
    const exports: Record<string, unknown> = await import(module);
    const callee = exports[fn];
    if (typeof callee !== "function") throw new TypeError(`${module} has no exported function ${fn}`);
    const value: unknown = await callee(...args);
    return { id, ok: true, value };
  } catch (error) {
    return { id, ok: false, error: serializeError(error), retire: abortedWasm(error) };
  }
}

/** Posts the reply; a result that cannot cross the thread (not structured-cloneable) comes back as its error. */
function reply(message: TaskReply): void {
  try {
    port?.postMessage(message);
  } catch (error) {
    port?.postMessage({ id: message.id, ok: false, error: serializeError(error), retire: false });
  }
}

port.on("message", (message: TaskMessage) => {
  void runTask(message).then(reply);
});
