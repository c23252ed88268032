import { once } from "node:events";
import { parseArgs } from "node:util";
import { configFlags, configFrom } from "../configFlags.js";
import { UsageError } from "../UsageError.js";
import { queueUrl } from "./queueUrl.js";
import { runWorker } from "./worker.js";

/** `rigwatch worker`'s arguments; the body is worker.ts (so the CLI's parser can change without it). */
export async function workerArgs(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      queue: { type: "string" },
      jobs: { type: "string" },
      json: { type: "boolean" },
      ...configFlags,
    },
  });
  const stop = Promise.race([once(process, "SIGINT"), once(process, "SIGTERM")]).then(() => undefined);
  return runWorker({
    url: queueUrl(values.queue, "worker"),
    jobs: jobsFlag(values.jobs),
    config: configFrom(values),
    json: values.json ?? false,
    stop,
  });
}

export function jobsFlag(value: string | undefined): number {
  const jobs = Number(value ?? 1);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 16)
    throw new UsageError(`--jobs expects 1..16, got ${value}`);
  return jobs;
}
