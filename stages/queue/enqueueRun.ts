import { FlowProducer, Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { Config } from "../../config/index.js";
import { reportsJobId } from "./jobIds.js";
import { type PlannedSession, planFlow } from "./planFlow.js";
import { redisConnection } from "./redisConnection.js";
import { type JobConfig, QUEUE_NAME } from "./stageJob.js";

export interface EnqueueOptions {
  readonly url: string;
  readonly sessions: readonly PlannedSession[];
  readonly config: JobConfig;
  readonly queue: Config["queue"];
  /** A client to enqueue through (the caller's, left open); default one of its own, closed after. */
  readonly connection?: Redis;
}

export interface Enqueued {
  readonly run: string;
  /** added: a new flow; queued: the same run is already in the queue (nothing added); again: the
   * same run had finished, its old jobs were removed and it was added anew. */
  readonly outcome: "added" | "queued" | "again";
  readonly counts: Record<string, number>;
}

/**
 * Puts a run in the queue as one flow (planFlow). The job ids are the run's, so two enqueues of the
 * same run at once add it once: BullMQ adds a job whose id exists as a no-op. A finished run (its
 * jobs are kept for queue.keepFinishedS) is removed first, so enqueueing it again does the work that
 * is not done (the stage state says what is).
 */
export async function enqueueRun(options: EnqueueOptions): Promise<Enqueued> {
  const { url, sessions, config, queue } = options;
  const plan = planFlow(sessions, config, queue);
  const connection = options.connection ?? redisConnection(url);
  const q = new Queue(QUEUE_NAME, { connection });
  const producer = new FlowProducer({ connection });
  try {
    const root = await q.getJob(reportsJobId(plan.run));
    const state = root ? await root.getState() : undefined;
    if (state !== undefined && state !== "completed" && state !== "failed" && state !== "unknown")
      return { run: plan.run, outcome: "queued", counts: plan.counts };
    if (root && (state === "completed" || state === "failed"))
      await q.remove(root.id as string, { removeChildren: true });
    await producer.add(plan.flow);
    return { run: plan.run, outcome: root ? "again" : "added", counts: plan.counts };
  } finally {
    await producer.close();
    await q.close();
    if (options.connection === undefined) connection.disconnect();
  }
}
