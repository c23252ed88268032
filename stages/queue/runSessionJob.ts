import { basename } from "node:path";
import { type Job, type Queue, WaitingChildrenError } from "bullmq";
import type { Side } from "../../detectors/samples.js";
import { activeSensorsFromTasks } from "../detect/declaredSensors.js";
import { recordActiveSensors, runMetadata, sessionTarget } from "../metadata/index.js";
import { SessionState } from "../scheduler/SessionState.js";
import { declaredSensors, detectDone, detectInputs, manualVerdicts } from "../scheduler/stageChecks.js";
import { stageTask } from "../scheduler/stageTask.js";
import { UserFacingError } from "../../config/UserFacingError.js";
import { TaskError } from "../pool/index.js";
import { SettleFailedError } from "./SettleFailedError.js";
import type { StageJobContext } from "./runEpisodeJob.js";
import {
  type EpisodeJobStage,
  jobName,
  type SessionJobData,
  type SessionStep,
  type StageJobData,
  type StageJobResult,
} from "./stageJob.js";

/**
 * A session's own stages, as one job that steps through them (BullMQ's "process step jobs"): its
 * takes' check → analyse → compress are its children, so it starts once they are done; then
 *   settle: the session's active sensors (the local chain's runSettle), and each usable take's index
 *           job added as a child; the job waits for them (WaitingChildrenError) and runs again at
 *   detect: the session's reports from the indexed takes, and each one's previews job; waits, then
 *   metadata: tasks.json.
 * The step is kept in the job's data, written after the step's children are added (adding them again
 * is a no-op: same ids), so a worker killed anywhere resumes the job where it was.
 */
export async function runSessionJob(
  job: Job<StageJobData>,
  data: SessionJobData,
  token: string,
  context: StageJobContext,
): Promise<StageJobResult> {
  let step: SessionStep | undefined = data.step;
  while (step !== undefined) {
    const next = await runStep(step, data, context);
    if (next === "finished") return { state: "done" };
    const { children, then } = next;
    for (const path of children.paths) await addChild(context.queue, job, data, path, children.stage);
    await job.updateData({ ...data, step: then });
    if (await job.moveToWaitingChildren(token)) throw new WaitingChildrenError();
    step = then; // every child already finished: go straight on
  }
  return { state: "done" };
}

type StepOutcome = "finished" | { children: { stage: EpisodeJobStage; paths: string[] }; then: SessionStep };

async function runStep(
  step: SessionStep,
  data: SessionJobData,
  context: StageJobContext,
): Promise<StepOutcome> {
  const { session } = data;
  switch (step) {
    case "settle": {
      const usable = await withState(context, data, (state) =>
        data.paths.filter((p) => state.episode(basename(p, ".h5")).compress?.state === "done"),
      );
      if (usable.length === 0) return "finished";
      await settle(usable, data, context);
      return { children: { stage: "index", paths: usable }, then: "detect" };
    }
    case "detect": {
      const indexed = await indexedPaths(data, context);
      if (indexed.length === 0) return "finished";
      await detect(indexed, data, context);
      return { children: { stage: "previews", paths: indexed }, then: "metadata" };
    }
    case "metadata": {
      const target = sessionTarget(session);
      if (target !== undefined && (await indexedPaths(data, context)).length > 0) runMetadata([target]);
      return "finished";
    }
  }
}

/**
 * The session's active sensors before any take is indexed: tasks.json's, else the union each take
 * shows. A failure is recorded in stages.json (as the local chain does) and fails the job: at once,
 * typed (SettleFailedError), when its cause is bad input; otherwise retried with backoff.
 */
async function settle(paths: string[], data: SessionJobData, context: StageJobContext): Promise<void> {
  try {
    const target = sessionTarget(data.session);
    if (target === undefined || activeSensorsFromTasks(target.tasksPath, target.date) !== undefined) return;
    const { detected } = await context.pool.run(stageTask("settle", paths, data.config.detect));
    const union = new Set(Object.values(detected).flat());
    const sensors = (["left", "right"] as const).filter((s): s is Side => union.has(s));
    recordActiveSensors(target, sensors);
    await withState(context, data, (state) =>
      state.setSession("settle", {
        state: "done",
        at: new Date().toISOString(),
        result: { detected },
        sensors,
      }),
    );
  } catch (error) {
    const cause = error instanceof Error ? error : new Error(String(error));
    await withState(context, data, (state) =>
      state.setSession("settle", { state: "failed", at: new Date().toISOString(), error: cause.message }),
    );
    if (cause instanceof UserFacingError || (cause instanceof TaskError && cause.userFacing))
      throw new SettleFailedError(data.session, cause.name, cause.message);
    throw cause;
  }
}

/** The session's detect reports, skipped when it already ran on these files, verdicts and sensors. */
async function detect(paths: string[], data: SessionJobData, context: StageJobContext): Promise<void> {
  const inputs = detectInputs(paths);
  const verdicts = manualVerdicts(paths);
  const sensors = declaredSensors(data.session);
  const done = await withState(context, data, (state) =>
    detectDone(state.session("detect"), inputs, verdicts, sensors),
  );
  if (done) return;
  try {
    const result = await context.pool.run(stageTask("detect", paths, data.config.detect));
    await withState(context, data, (state) =>
      state.setSession("detect", {
        state: "done",
        at: new Date().toISOString(),
        result,
        inputs,
        verdicts,
        sensors,
      }),
    );
  } catch (error) {
    await withState(context, data, (state) =>
      state.setSession("detect", {
        state: "failed",
        at: new Date().toISOString(),
        error: (error as Error).message,
      }),
    );
    throw error;
  }
}

function indexedPaths(data: SessionJobData, context: StageJobContext): Promise<string[]> {
  return withState(context, data, (state) =>
    data.paths.filter((p) => state.episode(basename(p, ".h5")).index?.state === "done"),
  );
}

function withState<T>(
  context: StageJobContext,
  data: SessionJobData,
  work: (state: SessionState) => T,
): Promise<T> {
  return context.lock.with(data.session, () => work(new SessionState(data.session)));
}

/** A take's index or previews job as a child of the session's job (its id: the parent's, the take, the stage). */
async function addChild(
  queue: Queue,
  parent: Job<StageJobData>,
  data: SessionJobData,
  path: string,
  stage: EpisodeJobStage,
): Promise<void> {
  const child: StageJobData = { kind: "episode", stage, session: data.session, path, config: data.config };
  await queue.add(jobName(child), child, {
    jobId: `${parent.id}.${basename(path, ".h5")}.${stage}`,
    parent: { id: parent.id as string, queue: parent.queueQualifiedName },
    ignoreDependencyOnFailure: true,
    attempts: parent.opts.attempts ?? 1,
    ...(parent.opts.backoff === undefined ? {} : { backoff: parent.opts.backoff }),
    ...(parent.opts.removeOnComplete === undefined ? {} : { removeOnComplete: parent.opts.removeOnComplete }),
    ...(parent.opts.removeOnFail === undefined ? {} : { removeOnFail: parent.opts.removeOnFail }),
  });
}
