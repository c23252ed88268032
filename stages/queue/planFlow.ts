import { basename } from "node:path";
import type { FlowJob, FlowJobNode } from "bullmq";
import type { Config } from "../../config/index.js";
import { jobId, reportsJobId, runId } from "./jobIds.js";
import { type EpisodeJobStage, type JobConfig, jobName, QUEUE_NAME, type StageJobData } from "./stageJob.js";

/** One session folder and its takes, in the order `process` runs them. */
export interface PlannedSession {
  readonly session: string;
  readonly paths: readonly string[];
}

export interface FlowPlan {
  readonly run: string;
  readonly flow: FlowJob;
  /** Jobs in the plan, by stage name. */
  readonly counts: Record<string, number>;
}

/**
 * The run as one BullMQ flow (a parent runs once its children are done):
 *
 *   reports (the dataset's reports, last)
 *   └─ session N (settle → its takes' index jobs → detect → their previews jobs → metadata)
 *      ├─ compress ← analyse ← check, per take of session N
 *      └─ session N-1 … (the sessions one after the other, as `process` runs them)
 *
 * Every take's check → analyse → compress can start at once on any worker; a session's own steps wait
 * for the session before it, because tasks.json and the dataset's reports are shared by every session
 * (each is read, changed and written whole), and that order is what makes the outputs byte-identical
 * to the local `process`. A child that fails for good does not hold its parent: the parent goes on
 * (ignoreDependencyOnFailure) and, like the local chain, leaves out the takes that did not finish.
 */
export function planFlow(
  sessions: readonly PlannedSession[],
  config: JobConfig,
  queue: Config["queue"],
): FlowPlan {
  const run = runId(sessions, config);
  const counts: Record<string, number> = {};
  const opts = (id: string, data: StageJobData) => {
    counts[jobName(data)] = (counts[jobName(data)] ?? 0) + 1;
    return {
      jobId: id,
      attempts: queue.attempts,
      backoff: { type: "exponential", delay: queue.backoffMs },
      removeOnComplete: { age: queue.keepFinishedS },
      removeOnFail: { age: queue.keepFinishedS },
    };
  };
  const child = (id: string, data: StageJobData, children?: FlowJobNode[]): FlowJobNode => {
    const job = {
      name: jobName(data),
      queueName: QUEUE_NAME,
      data,
      opts: { ...opts(id, data), ignoreDependencyOnFailure: true },
    };
    return children ? { ...job, children } : job;
  };
  const episodeChain = (session: string, path: string): FlowJobNode => {
    const stage = (s: EpisodeJobStage): StageJobData => ({
      kind: "episode",
      stage: s,
      session,
      path,
      config,
    });
    const id = (s: EpisodeJobStage) => jobId(run, session, basename(path, ".h5"), s);
    return child(id("compress"), stage("compress"), [
      child(id("analyse"), stage("analyse"), [child(id("check"), stage("check"))]),
    ]);
  };
  let previous: FlowJobNode | undefined;
  for (const { session, paths } of sessions) {
    const data: StageJobData = { kind: "session", session, paths: [...paths], step: "settle", config };
    previous = child(jobId(run, session, "session"), data, [
      ...paths.map((p) => episodeChain(session, p)),
      ...(previous ? [previous] : []),
    ]);
  }
  const reports: StageJobData = {
    kind: "reports",
    sessions: sessions.map((s) => ({ session: s.session, paths: [...s.paths] })),
    config,
  };
  const flow: FlowJob = {
    name: jobName(reports),
    queueName: QUEUE_NAME,
    data: reports,
    opts: opts(reportsJobId(run), reports),
    children: previous ? [previous] : [],
  };
  // The index and previews jobs are added by their session's job when it gets there.
  for (const s of ["index", "previews"]) counts[s] = sessions.reduce((n, x) => n + x.paths.length, 0);
  return { run, flow, counts };
}
