import { once } from "node:events";
import { parseArgs } from "node:util";
import { checkQueueUrl } from "../../stages/queue/redisConnection.js";
import { configFlags, configFrom } from "../configFlags.js";
import { UsageError } from "../UsageError.js";
import { showQueueStatus, retryQueue } from "./queueStatus.js";
import { runWorker } from "./worker.js";

/*
 * The argument parsing of `worker` and `queue`, kept apart from the command bodies (worker.ts,
 * queueStatus.ts, processQueued.ts) so the CLI's parser can be swapped without touching them.
 */

function queueUrl(value: string | undefined, command: string): string {
  if (value === undefined) throw new UsageError(`${command} needs --queue redis://HOST:PORT`);
  checkQueueUrl(value);
  return value;
}

export function jobsFlag(value: string | undefined): number {
  const jobs = Number(value ?? 1);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 16)
    throw new UsageError(`--jobs expects 1..16, got ${value}`);
  return jobs;
}

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

export async function queueArgs(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { queue: { type: "string" }, json: { type: "boolean" } },
  });
  const [action, ...rest] = positionals;
  if (rest.length > 0) throw new UsageError(`unexpected ${rest.join(" ")}`);
  const url = queueUrl(values.queue, "queue");
  const json = values.json ?? false;
  if (action === "status") return showQueueStatus({ url, json });
  if (action === "retry") return retryQueue({ url, json });
  throw new UsageError(`queue expects status or retry, got ${action ?? "nothing"}`);
}
