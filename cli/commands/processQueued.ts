import { basename } from "node:path";
import { Queue, QueueEvents } from "bullmq";
import type { Config } from "../../config/index.js";
import { enqueueRun } from "../../stages/queue/enqueueRun.js";
import { reportsJobId } from "../../stages/queue/jobIds.js";
import { UNUSABLE_TAKE } from "../../stages/queue/QuarantinedEpisodeError.js";
import { queueStatus } from "../../stages/queue/queueStatus.js";
import { redisConnection } from "../../stages/queue/redisConnection.js";
import { QUEUE_NAME } from "../../stages/queue/stageJob.js";

export interface ProcessQueuedOptions {
  /** redis://HOST:PORT */
  readonly url: string;
  /** Session folders and their takes, in the order `process` runs them. */
  readonly sessions: ReadonlyMap<string, readonly string[]>;
  readonly config: Config;
  /** Wait for the run to finish, printing each job as it ends. */
  readonly follow: boolean;
  readonly json: boolean;
}

/**
 * `rigwatch process <date-dir>... --queue URL`: the same chain as `process`, planned as a BullMQ flow
 * for `rigwatch worker`s on any machine that sees the same paths. Returns at once with the plan, or
 * with --follow when the run's last job (the dataset's reports) ends: exit 1 when a job of the run
 * failed for another reason than a quarantined take (as `process`, which does not count those).
 */
export async function processQueued(options: ProcessQueuedOptions): Promise<number> {
  const { url, config, json } = options;
  const enqueued = await enqueueRun({
    url,
    sessions: [...options.sessions].map(([session, paths]) => ({ session, paths })),
    config: { detect: config.detect, previews: config.previews },
    queue: config.queue,
  });
  const plan = { type: "queued", run: enqueued.run, outcome: enqueued.outcome, jobs: enqueued.counts };
  if (json) console.log(JSON.stringify(plan));
  else
    console.log(
      `run ${enqueued.run}: ${enqueued.outcome === "queued" ? "already in the queue, nothing added" : "queued"} ` +
        `(${options.sessions.size} session${options.sessions.size === 1 ? "" : "s"}; jobs: ${Object.entries(
          enqueued.counts,
        )
          .map(([stage, n]) => `${stage} ${n}`)
          .join(", ")})` +
        (options.follow ? "" : `\nfollow it with: rigwatch queue status --queue ${url}`),
    );
  if (!options.follow) return 0;
  return follow(url, enqueued.run, json);
}

async function follow(url: string, run: string, json: boolean): Promise<number> {
  const connection = redisConnection(url);
  const events = new QueueEvents(QUEUE_NAME, { connection });
  const ofRun = (id: string) => id.startsWith(`${run}.`);
  const print = (state: string, id: string, detail?: string) => {
    if (!ofRun(id)) return;
    const what = id.slice(run.length + 1);
    if (json)
      console.log(JSON.stringify({ type: "job", state, job: what, ...(detail ? { error: detail } : {}) }));
    else console.log(`${state.padEnd(9)} ${what}${detail ? `: ${detail}` : ""}`);
  };
  events.on("completed", ({ jobId }) => print("done", jobId));
  events.on("failed", ({ jobId, failedReason }) => print("failed", jobId, failedReason));
  try {
    await events.waitUntilReady();
    const root = reportsJobId(run);
    const finished = new Promise<string>((resolve) => {
      events.on("completed", ({ jobId }) => jobId === root && resolve("completed"));
      events.on("failed", ({ jobId }) => jobId === root && resolve("failed"));
    });
    // It may have ended before we listened.
    const queue = new Queue(QUEUE_NAME, { connection });
    const state = await (await queue.getJob(root))?.getState();
    await queue.close();
    const end = state === "completed" || state === "failed" ? state : await finished;
    const status = await queueStatus(url);
    const failures = status.failed.filter((f) => ofRun(f.id) && !f.error.startsWith(UNUSABLE_TAKE));
    const summary = {
      type: "run",
      run,
      state: end,
      failed: failures.map((f) => ({ job: f.id, error: f.error })),
    };
    if (json) console.log(JSON.stringify(summary));
    else
      console.log(
        `run ${run} ${end}${failures.length ? `; failed: ${failures.map((f) => `${basename(f.subject)} ${f.stage} (${f.error})`).join("; ")}` : ""}`,
      );
    return end === "completed" && failures.length === 0 ? 0 : 1;
  } finally {
    await events.close();
    connection.disconnect();
  }
}
