import { existsSync } from "node:fs";
import { basename } from "node:path";
import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { PoolTask, WorkerPool } from "../pool/index.js";
import {
  EPISODE_STAGES,
  type EpisodeStage,
  fingerprint,
  sameFingerprint,
  SessionState,
  type StageRecord,
} from "../scheduler/SessionState.js";
import { declaredSensors, episodeStageDone, previewsDone } from "../scheduler/stageChecks.js";
import { type StageResults, storedResult } from "../scheduler/stageResults.js";
import { stageTask } from "../scheduler/stageTask.js";
import { AttemptSupersededError } from "./AttemptSupersededError.js";
import { compressAttempt } from "./compressAttempt.js";
import { QuarantinedEpisodeError } from "./QuarantinedEpisodeError.js";
import type { SessionLock } from "./SessionLock.js";
import type { EpisodeJobData, EpisodeJobStage, StageJobResult } from "./stageJob.js";

export interface StageJobContext {
  readonly pool: WorkerPool;
  readonly lock: SessionLock;
  /** The worker's connection: compress's ownership check and its attempts' heartbeats. */
  readonly redis: Redis;
  /** The queue: job lock keys, and the children session jobs add. */
  readonly queue: Queue;
  /** queue.lockDurationMs: a compress attempt's heartbeat stands this long unrenewed. */
  readonly heartbeatMs: number;
}

/** The job being run, as BullMQ handed it to this worker. */
export interface JobTurn {
  readonly id: string;
  /** This attempt's lock token: the job is this attempt's while the job's lock holds it. */
  readonly token: string;
}

/** The stage that must be done first, per stage (check has none). */
const AFTER: Record<EpisodeJobStage, EpisodeStage | undefined> = {
  check: undefined,
  analyse: "check",
  compress: "analyse",
  index: "compress",
  previews: "index",
};

/**
 * One take's stage, as a job: the same stage function the local chain runs (on this worker's pool),
 * the same `.rigwatch/stages.json` records, read and written under the session's lock. Skipped when
 * already done and still valid (a local run, or another enqueue, did it) or when the stage before it
 * did not finish (a failed or quarantined take stops there, as locally). A corrupt take fails the job
 * once (QuarantinedEpisodeError); any other failure throws, so BullMQ retries it with backoff.
 */
export async function runEpisodeJob(
  turn: JobTurn,
  data: EpisodeJobData,
  context: StageJobContext,
): Promise<StageJobResult> {
  const { stage, session, path } = data;
  const name = basename(path, ".h5");
  const skip = await context.lock.with(session, (): StageJobResult | undefined => {
    const state = new SessionState(session);
    let records = state.episode(name);
    if (stage === "check") {
      const lastDone = EPISODE_STAGES.map((s) => records[s])
        .filter((r) => r?.state === "done")
        .at(-1);
      if (lastDone && !sameFingerprint(lastDone.file, fingerprint(path))) {
        state.resetEpisode(path); // the file changed since: its results are stale
        records = {};
      }
    }
    const before = AFTER[stage];
    if (before !== undefined && records[before]?.state !== "done")
      return { state: "skipped", reason: `${before} is ${records[before]?.state ?? "not done"}` };
    if (!existsSync(path)) {
      // Quarantined (renamed *.h5.corrupt) by an earlier run, or removed: retrying cannot bring it back.
      const checked = storedResult("check", records.check?.result);
      if (checked !== undefined && checked.status !== "ok")
        throw new QuarantinedEpisodeError(name, checked.code, checked.error, checked.quarantinedAs);
      throw new QuarantinedEpisodeError(name, "missing", `${path} does not exist`, undefined);
    }
    const done =
      stage === "previews"
        ? previewsDone(path, records.previews, state.session("detect")?.at)
        : episodeStageDone(path, stage, records[stage], declaredSensors(session));
    if (done) return { state: "skipped", reason: "done" };
    state.setEpisode(path, stage, { state: "running", at: now() });
    return undefined;
  });
  if (skip) return skip;

  let result: StageResults[EpisodeJobStage];
  try {
    result =
      stage === "compress"
        ? await compressAttempt({
            path,
            level: data.config.gzipLevel,
            pool: context.pool,
            redis: context.redis,
            lock: context.lock,
            job: { id: turn.id, token: turn.token, lockKey: `${context.queue.toKey(turn.id)}:lock` },
            heartbeatMs: context.heartbeatMs,
          })
        : await context.pool.run<StageResults[EpisodeJobStage]>(taskOf(data));
  } catch (error) {
    // The job is another attempt's now: it records the stage; this one leaves the take alone.
    if (error instanceof AttemptSupersededError) throw error;
    const message = (error as Error).message;
    await record(context, data, { state: "failed", at: now(), error: message });
    throw error;
  }
  if ("status" in result && result.status !== "ok" && "error" in result) {
    const renamed = "quarantinedAs" in result && result.quarantinedAs !== undefined;
    const error =
      "notRenamed" in result && result.notRenamed ? `${result.error}; ${result.notRenamed}` : result.error;
    await record(
      context,
      data,
      renamed ? { state: "quarantined", at: now(), result } : { state: "failed", at: now(), result, error },
    );
    // Still being written by another process: a later try may find it closed (retried with backoff).
    if (result.status === "busy") throw new Error(`${name}: ${error}`);
    // Corrupt (renamed aside) or unreadable here: retrying cannot fix it.
    throw new QuarantinedEpisodeError(name, result.code, error, renamed ? result.quarantinedAs : undefined);
  }
  await context.lock.with(session, () => {
    const state = new SessionState(session);
    const detectAt = stage === "previews" ? state.session("detect")?.at : undefined;
    state.setEpisode(path, stage, {
      state: "done",
      at: now(),
      result,
      ...(detectAt === undefined ? {} : { detectAt }),
      ...fileOf(path),
    });
  });
  return { state: "done" };
}

function taskOf({ stage, path, config }: EpisodeJobData): PoolTask<StageResults[EpisodeJobStage]> {
  switch (stage) {
    case "check":
      return stageTask("check", path);
    case "analyse":
      return stageTask("analyse", path);
    case "compress":
      return stageTask("compress", path, config.gzipLevel);
    case "index":
      return stageTask("index", path, config.detect);
    case "previews":
      return stageTask("previews", path, { detect: config.detect, previews: config.previews });
  }
}

async function record(context: StageJobContext, data: EpisodeJobData, entry: StageRecord): Promise<void> {
  await context.lock.with(data.session, () =>
    new SessionState(data.session).setEpisode(data.path, data.stage, entry),
  );
}

function now(): string {
  return new Date().toISOString();
}

function fileOf(path: string): { file?: ReturnType<typeof fingerprint> } {
  const f = fingerprint(path);
  return f ? { file: f } : {};
}
