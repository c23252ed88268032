import { hostname } from "node:os";
import { type Job, Queue, Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { Config } from "../../config/index.js";
import { WorkerPool } from "../pool/index.js";
import { redisConnection } from "./redisConnection.js";
import { runEpisodeJob } from "./runEpisodeJob.js";
import { runReportsJob } from "./runReportsJob.js";
import { runSessionJob } from "./runSessionJob.js";
import { SessionLock } from "./SessionLock.js";
import { QUEUE_NAME, STAGE_JOB, type StageJobData, type StageJobResult } from "./stageJob.js";

export interface StageWorkerOptions {
  /** redis://HOST:PORT */
  readonly url: string;
  /** Jobs at once, each on its own worker thread. */
  readonly jobs: number;
  readonly queue: Config["queue"];
  /** Shown by `queue status` per worker (default: host and pid). */
  readonly name?: string;
}

/**
 * `rigwatch worker`: takes stage jobs from the queue, `jobs` at a time, and runs each on a worker
 * thread of its own pool with the same stage functions as the local chain. BullMQ keeps a lock on
 * every running job, renewed from this (free) event loop while the threads work; a worker killed
 * mid-job stops renewing it, and another worker's stalled-job check hands the job on. Redis going
 * away pauses it (its commands wait for the reconnection), it goes on when Redis is back.
 */
export class StageWorker {
  readonly name: string;
  readonly #connection: Redis;
  readonly #pool: WorkerPool;
  readonly #queue: Queue;
  readonly #worker: Worker<StageJobData, StageJobResult>;

  constructor({ url, jobs, queue, name }: StageWorkerOptions) {
    this.name = name ?? `${hostname()}:${process.pid}`;
    this.#connection = redisConnection(url);
    this.#pool = new WorkerPool({ size: jobs });
    this.#queue = new Queue(QUEUE_NAME, { connection: this.#connection });
    const lock = new SessionLock({ redis: this.#connection });
    const context = {
      pool: this.#pool,
      lock,
      queue: this.#queue,
      redis: this.#connection,
      heartbeatMs: queue.lockDurationMs,
    };
    this.#worker = new Worker<StageJobData, StageJobResult>(
      QUEUE_NAME,
      async (job: Job<StageJobData>, token?: string) => {
        const data = STAGE_JOB.parse(job.data);
        switch (data.kind) {
          case "episode":
            return runEpisodeJob({ id: job.id as string, token: token ?? "" }, data, context);
          case "session":
            return runSessionJob(job, data, token ?? "", context);
          case "reports":
            return runReportsJob(data, context);
        }
      },
      {
        connection: this.#connection,
        concurrency: jobs,
        name: this.name,
        lockDuration: queue.lockDurationMs,
        stalledInterval: queue.stalledIntervalMs,
        // A job whose worker died is handed on; one that kills its workers again and again fails.
        maxStalledCount: 3,
        autorun: false,
      },
    );
  }

  /** Job events, for the command's log. */
  get events(): Worker<StageJobData, StageJobResult> {
    return this.#worker;
  }

  /** Runs until close(). */
  run(): Promise<void> {
    return this.#worker.run();
  }

  async waitUntilReady(): Promise<void> {
    await this.#worker.waitUntilReady();
  }

  /** Lets running jobs finish, then stops. */
  async close(): Promise<void> {
    await this.#worker.close();
    await this.#queue.close();
    await this.#pool.close();
    this.#connection.disconnect();
  }
}
