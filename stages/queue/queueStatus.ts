import { Queue } from "bullmq";
import { redisConnection } from "./redisConnection.js";
import { QUEUE_NAME, STAGE_JOB, type StageJobData } from "./stageJob.js";

const STATES = [
  "waiting",
  "active",
  "waiting-children",
  "delayed",
  "prioritized",
  "completed",
  "failed",
] as const;
type JobState = (typeof STATES)[number];

export interface FailedJob {
  readonly id: string;
  readonly stage: string;
  /** The take or session folder it was for. */
  readonly subject: string;
  readonly error: string;
  readonly attempts: number;
}

export interface QueueStatus {
  readonly counts: Record<JobState, number>;
  /** Per stage (job name), per state. */
  readonly stages: Record<string, Partial<Record<JobState, number>>>;
  /** Per worker (its name: host:pid): jobs running now and jobs it finished. */
  readonly workers: Record<string, { active: number; completed: number; failed: number }>;
  /** Jobs finished in the last minute, and over the whole span of the kept finished jobs. */
  readonly throughput: { lastMinute: number; perMinute: number | null };
  readonly failed: FailedJob[];
}

/** `rigwatch queue status`: what the queue holds, per stage and per worker, and what failed and why. */
export async function queueStatus(url: string, now = Date.now()): Promise<QueueStatus> {
  const connection = redisConnection(url);
  const queue = new Queue<StageJobData>(QUEUE_NAME, { connection });
  try {
    const counts = Object.fromEntries(STATES.map((s) => [s, 0])) as Record<JobState, number>;
    const stages: QueueStatus["stages"] = {};
    const workers: QueueStatus["workers"] = {};
    const failed: FailedJob[] = [];
    const finished: { start: number; end: number }[] = [];
    for (const state of STATES) {
      const jobs = (await queue.getJobs([state])).filter((j) => j !== undefined);
      counts[state] = jobs.length;
      for (const job of jobs) {
        const perStage = (stages[job.name] ??= {});
        perStage[state] = (perStage[state] ?? 0) + 1;
        if (job.processedBy && (state === "active" || state === "completed" || state === "failed")) {
          const w = (workers[job.processedBy] ??= { active: 0, completed: 0, failed: 0 });
          if (state === "active") w.active++;
          else if (state === "completed") w.completed++;
          else w.failed++;
        }
        if (state === "completed" && job.finishedOn !== undefined)
          finished.push({ start: job.processedOn ?? job.finishedOn, end: job.finishedOn });
        if (state === "failed")
          failed.push({
            id: job.id as string,
            stage: job.name,
            subject: subjectOf(job.data),
            error: job.failedReason,
            attempts: job.attemptsMade,
          });
      }
    }
    const lastMinute = finished.filter((f) => f.end > now - 60_000).length;
    const span =
      finished.length > 1
        ? (Math.max(...finished.map((f) => f.end)) - Math.min(...finished.map((f) => f.start))) / 60_000
        : 0;
    return {
      counts,
      stages,
      workers,
      throughput: { lastMinute, perMinute: span > 0 ? finished.length / span : null },
      failed: failed.sort((a, b) => (a.id < b.id ? -1 : 1)),
    };
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

/** `rigwatch queue retry`: every failed job back to waiting, its attempts counted afresh. */
export async function retryFailed(
  url: string,
): Promise<{ retried: string[]; refused: { id: string; error: string }[] }> {
  const connection = redisConnection(url);
  const queue = new Queue<StageJobData>(QUEUE_NAME, { connection });
  try {
    const retried: string[] = [];
    const refused: { id: string; error: string }[] = [];
    for (const job of await queue.getJobs(["failed"])) {
      if (job === undefined) continue;
      try {
        await job.retry("failed", { resetAttemptsMade: true });
        retried.push(job.id as string);
      } catch (error) {
        refused.push({ id: job.id as string, error: (error as Error).message });
      }
    }
    return { retried: retried.sort(), refused };
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

function subjectOf(data: unknown): string {
  const parsed = STAGE_JOB.safeParse(data);
  if (!parsed.success) return "?";
  const d = parsed.data;
  return d.kind === "episode"
    ? d.path
    : d.kind === "session"
      ? d.session
      : d.sessions.map((s) => s.session).join(", ");
}
