import { Queue, QueueEvents } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { Config } from "../config/index.js";
import { enqueueRun } from "../stages/queue/enqueueRun.js";
import { planFlow } from "../stages/queue/planFlow.js";
import { connectOnce, redisConnection } from "../stages/queue/redisConnection.js";
import { QUEUE_NAME, SESSION_STEPS, type SessionStep, STAGE_JOB } from "../stages/queue/stageJob.js";
import type { StageProgress, StageState } from "../stages/scheduler/StageProgress.js";

export interface QueuedStagesOptions {
  /** stages.queue: redis://HOST:PORT */
  readonly url: string;
  readonly config: Pick<Config, "detect" | "previews" | "queue">;
  readonly log: Logger;
  /** Each job's progress, as the local chain reports its stages. */
  readonly progress: (progress: StageProgress) => void;
  /** How long a hand-off may wait for Redis before the session runs on the daemon's pool (ms). */
  readonly timeoutMs?: number;
}

/**
 * The daemon's post-session chain handed to the stage queue (`stages.queue`): a closed session is
 * enqueued as `rigwatch process --queue` would (the same plan: planFlow), for `rigwatch worker`s to
 * run, and the jobs' progress comes back through BullMQ's QueueEvents as the same stage progress
 * messages the daemon's own pool sends. A hand-off that cannot reach Redis within `timeoutMs` throws
 * at once (the caller raises `stage_queue` and runs the session itself): nothing waits on a queue
 * that is not there, and no session is dropped.
 */
export class QueuedStages {
  readonly #options: QueuedStagesOptions;
  /** Runs handed off, by id: their jobs' progress is reported. */
  readonly #runs = new Set<string>();
  /** Session jobs' steps already reported done (each once), by job id and step. */
  readonly #done = new Set<string>();
  #events: QueueEvents | undefined;
  #eventsConnection: Redis | undefined;
  #eventsBlocking: Redis | undefined;
  #lookup: Queue | undefined;

  constructor(options: QueuedStagesOptions) {
    this.#options = options;
  }

  /** Enqueues the session's flow; throws when Redis cannot be reached (or refuses) in time. */
  async handOff(session: string, paths: readonly string[]): Promise<{ run: string; outcome: string }> {
    const { url, config } = this.#options;
    const sessions = [{ session, paths }];
    const jobConfig = { detect: config.detect, previews: config.previews };
    const connection = await connectOnce(url, this.#options.timeoutMs ?? 5_000);
    // Its jobs' events are reported from the first: the run is known, and the events are read from
    // the stream's newest entry before the enqueue (QueueEvents would otherwise start at "now").
    const { run } = planFlow(sessions, jobConfig, config.queue);
    const known = this.#runs.has(run);
    this.#runs.add(run);
    try {
      if (this.#events === undefined) {
        const [newest] = await connection.xrevrange(`bull:${QUEUE_NAME}:events`, "+", "-", "COUNT", 1);
        this.#follow(newest?.[0] ?? "0-0");
      }
      const enqueued = await enqueueRun({
        url,
        connection,
        sessions,
        config: jobConfig,
        queue: config.queue,
      });
      return { run: enqueued.run, outcome: enqueued.outcome };
    } catch (error) {
      if (!known) this.#runs.delete(run);
      throw error;
    } finally {
      connection.disconnect();
    }
  }

  /** Throws when Redis does not answer within the timeout. */
  async ping(): Promise<void> {
    const connection = await connectOnce(this.#options.url, this.#options.timeoutMs ?? 5_000);
    try {
      await connection.ping();
    } finally {
      connection.disconnect();
    }
  }

  async close(): Promise<void> {
    await this.#events?.close();
    await this.#lookup?.close();
    this.#eventsConnection?.disconnect();
    this.#eventsBlocking?.disconnect();
  }

  /** Listens to the queue's events once something was handed off (reconnecting, as workers do). */
  #follow(lastEventId: string): void {
    const connection = redisConnection(this.#options.url);
    connection.on("error", (error: Error) =>
      this.#options.log.warn({ err: error.message }, "stage queue connection: progress waits for Redis"),
    );
    this.#eventsConnection = connection;
    this.#lookup = new Queue(QUEUE_NAME, { connection });
    // QueueEvents blocks on its connection (XREAD): one of its own.
    this.#eventsBlocking = connection.duplicate();
    const events = new QueueEvents(QUEUE_NAME, { connection: this.#eventsBlocking, lastEventId });
    this.#events = events;
    events.on("error", (error) => this.#options.log.warn({ err: error.message }, "stage queue events"));
    events.on("active", ({ jobId }) => void this.#report(jobId, "running"));
    events.on(
      "completed",
      ({ jobId, returnvalue }) => void this.#report(jobId, skipped(returnvalue) ? "skipped" : "done"),
    );
    events.on("failed", ({ jobId, failedReason }) => void this.#report(jobId, "failed", failedReason));
  }

  /** A job's event as stage progress: its take's episode number (null for the session's own steps). */
  async #report(jobId: string, state: StageState, error?: string): Promise<void> {
    const dot = jobId.indexOf(".");
    if (dot < 0 || !this.#runs.has(jobId.slice(0, dot))) return;
    const parts = jobId.slice(dot + 1).split(".");
    const take = parts.find((p) => /^episode_\d+$/.test(p));
    const stage = parts.at(-1) ?? "?";
    if (stage === "session") {
      // The session's job steps through settle, detect, metadata (it runs again at each): name the step.
      const job = await this.#lookup?.getJob(jobId).catch(() => undefined);
      const data = STAGE_JOB.safeParse(job?.data);
      const step = data.success && data.data.kind === "session" ? data.data.step : "session";
      const before = SESSION_STEPS.slice(0, Math.max(0, SESSION_STEPS.indexOf(step as SessionStep)));
      // Reaching a step means the ones before it are done (the local chain reports each).
      if (state === "running") for (const s of before) this.#stepDone(jobId, s);
      if (state === "done") this.#stepDone(jobId, step);
      else this.#send(null, step, state, error);
      return;
    }
    this.#send(take === undefined ? null : Number(take.slice("episode_".length)), stage, state, error);
  }

  #stepDone(jobId: string, step: string): void {
    const key = `${jobId}\u0000${step}`;
    if (this.#done.has(key)) return;
    this.#done.add(key);
    this.#send(null, step, "done");
  }

  #send(episode: number | null, stage: string, state: StageState, error?: string): void {
    this.#options.progress({ episode, stage, state, ...(error === undefined ? {} : { error }) });
  }
}

function skipped(returnvalue: unknown): boolean {
  const value = typeof returnvalue === "string" ? safeJson(returnvalue) : returnvalue;
  return typeof value === "object" && value !== null && (value as { state?: unknown }).state === "skipped";
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
