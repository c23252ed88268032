import type { Config } from "../../config/index.js";
import { StageWorker } from "../../stages/queue/StageWorker.js";

export interface WorkerCommandOptions {
  readonly url: string;
  readonly jobs: number;
  readonly config: Config;
  readonly json: boolean;
  /** Resolves when the worker should stop (SIGINT/SIGTERM in the CLI). */
  readonly stop: Promise<void>;
}

/**
 * `rigwatch worker --queue URL [--jobs N]`: runs stage jobs from the queue until stopped, N at a time;
 * one line per job that ends (stdout; --json: one object). Running jobs finish before it exits.
 */
export async function runWorker({ url, jobs, config, json, stop }: WorkerCommandOptions): Promise<number> {
  const worker = new StageWorker({ url, jobs, queue: config.queue });
  const line = (state: string, id: string | undefined, ms: number | undefined, error?: string) => {
    if (json)
      console.log(
        JSON.stringify({
          type: "job",
          worker: worker.name,
          state,
          job: id,
          ...(ms === undefined ? {} : { ms }),
          ...(error ? { error } : {}),
        }),
      );
    else
      console.log(
        `${state.padEnd(9)} ${id ?? "?"}${ms === undefined ? "" : ` (${(ms / 1000).toFixed(1)} s)`}${error ? `: ${error}` : ""}`,
      );
  };
  const took = (job: { processedOn?: number; finishedOn?: number }) =>
    job.processedOn !== undefined && job.finishedOn !== undefined
      ? job.finishedOn - job.processedOn
      : undefined;
  // With --json, a job's start too (a session job starts again at each of its steps).
  if (json) worker.events.on("active", (job) => line("active", job.id, undefined));
  worker.events.on("completed", (job, result) => line(result.state, job.id, took(job)));
  worker.events.on("failed", (job, error) => {
    if (error.name !== "WaitingChildrenError")
      line("failed", job?.id, job ? took(job) : undefined, error.message);
  });
  worker.events.on("error", (error) => process.stderr.write(`rigwatch worker: ${error.message}\n`));
  const running = worker.run();
  await worker.waitUntilReady();
  if (!json)
    process.stderr.write(
      `rigwatch worker ${worker.name}: ${jobs} job${jobs === 1 ? "" : "s"} at a time on ${url}\n`,
    );
  else console.log(JSON.stringify({ type: "ready", worker: worker.name, jobs }));
  await stop;
  await worker.close();
  await running;
  return 0;
}
