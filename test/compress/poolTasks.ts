/** Tasks for the worker pool tests, run inside pool workers. */
import { threadId } from "node:worker_threads";
import { CompressError } from "../../stages/compress/index.js";

export function add(a: number, b: number): { sum: number; threadId: number } {
  return { sum: a + b, threadId };
}

/** Holds its thread for `ms` (blocking, as a compression does), then says which thread it was. */
export function block(ms: number): number {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  return threadId;
}

export async function failTyped(file: string): Promise<never> {
  throw new CompressError("disk_full", file, "copy", "/timestamps", "No space left on device");
}

export function crash(): never {
  process.exit(3);
}
