import { z } from "zod";
import { configSchema } from "../../config/index.js";

/** The one BullMQ queue every stage job goes through. */
export const QUEUE_NAME = "rigwatch-stages";

/** Per take, one job per stage; check → analyse → compress as soon as queued, index and previews from the session's job. */
export const EPISODE_JOB_STAGES = ["check", "analyse", "compress", "index", "previews"] as const;
export type EpisodeJobStage = (typeof EPISODE_JOB_STAGES)[number];

/**
 * The session's job steps through its session stages, its index and previews jobs as its children:
 * settle (then the takes' index) → detect (then their previews) → metadata.
 */
export const SESSION_STEPS = ["settle", "detect", "metadata"] as const;
export type SessionStep = (typeof SESSION_STEPS)[number];

/** The config a run was enqueued with: every worker uses it, so any worker's result is the enqueuer's. */
const jobConfig = z.object({
  detect: configSchema.shape.detect,
  previews: configSchema.shape.previews,
  gzipLevel: z.number().int().min(1).max(9).optional(),
});
export type JobConfig = z.infer<typeof jobConfig>;

const episodeJob = z.object({
  kind: z.literal("episode"),
  stage: z.enum(EPISODE_JOB_STAGES),
  session: z.string(),
  path: z.string(),
  config: jobConfig,
});
const sessionJob = z.object({
  kind: z.literal("session"),
  session: z.string(),
  paths: z.array(z.string()),
  /** Where the job is: it waits for its children between steps and runs again for the next. */
  step: z.enum(SESSION_STEPS),
  config: jobConfig,
});
const reportsJob = z.object({
  kind: z.literal("reports"),
  /** Every episode of the run's sessions: the dataset's reports last, from each session's cached results. */
  sessions: z.array(z.object({ session: z.string(), paths: z.array(z.string()) })),
  config: jobConfig,
});

export const STAGE_JOB = z.discriminatedUnion("kind", [episodeJob, sessionJob, reportsJob]);
export type StageJobData = z.infer<typeof STAGE_JOB>;
export type EpisodeJobData = z.infer<typeof episodeJob>;
export type SessionJobData = z.infer<typeof sessionJob>;
export type ReportsJobData = z.infer<typeof reportsJob>;

/** What a job returns (kept on the job, shown by `queue status`). */
export interface StageJobResult {
  readonly state: "done" | "skipped";
  /** Why it was skipped: already done and still valid, or an earlier stage did not finish. */
  readonly reason?: string;
}

/** A job's name: its stage, so `queue status` counts per stage. */
export function jobName(data: StageJobData): string {
  return data.kind === "episode" ? data.stage : data.kind;
}
