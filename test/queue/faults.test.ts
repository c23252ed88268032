import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../helpers/paths.js";
import { RedisServer } from "../helpers/RedisServer.js";
import { waitForAsync } from "../helpers/waitFor.js";
import { copyDataset, ensureQueueDataset, type QueueDataset, sessionsOf } from "./queueDataset.js";
import {
  datasetOutputs,
  enqueue,
  type JobLine,
  openQueue,
  runEnded,
  tempFiles,
  WorkerProcess,
} from "./queueProcesses.js";

/** The first worker to print a line that matches, and the line. */
async function firstTo(
  workers: readonly WorkerProcess[],
  match: (line: JobLine) => boolean,
  what: string,
): Promise<{ worker: WorkerProcess; line: JobLine }> {
  let found: { worker: WorkerProcess; line: JobLine } | undefined;
  await waitForAsync(
    () => {
      for (const worker of workers) {
        const line = worker.lines.find(match);
        if (line) found = { worker, line };
      }
      return Promise.resolve(found !== undefined);
    },
    what,
    300_000,
  );
  return found as { worker: WorkerProcess; line: JobLine };
}

// Timeouts only turn a hang into a failure. The dataset and the local run are made once for every
// queue test (queueDataset.ts).
describe("the queue through faults: a worker killed mid-job, Redis restarted mid-run", () => {
  const dir = tempDir();
  let dataset: QueueDataset;
  let redis: RedisServer;

  beforeAll(async () => {
    // Persistent like a production Redis: a restart keeps the queue (the jobs, their locks).
    [dataset, redis] = await Promise.all([ensureQueueDataset(), RedisServer.start({ persistent: true })]);
  }, 600_000);
  afterAll(async () => {
    await redis?.stop();
    dir.cleanup();
  });

  it("kill -9 mid-compress and mid-index, then a Redis restart: every output correct, no temp file left", async () => {
    const root = copyDataset(dataset, join(dir.path, "faults"));
    const workers = await Promise.all([WorkerProcess.start(redis.url), WorkerProcess.start(redis.url)]);
    const { queue, close } = openQueue(redis.url);
    try {
      const run = await enqueue(redis.url, sessionsOf(root));
      const started = (stage: string) => (l: JobLine) =>
        l.state === "active" && l.job?.endsWith(`.${stage}`) === true && !l.job.includes("episode_009");

      const compress = await firstTo(workers, started("compress"), "a take's compress to start");
      await compress.worker.kill();
      const live = [...workers.filter((w) => w !== compress.worker), await WorkerProcess.start(redis.url)];
      workers.push(live[1] as WorkerProcess);

      const index = await firstTo(live, started("index"), "a take's index to start");
      await index.worker.kill();
      workers.push(await WorkerProcess.start(redis.url));
      await redis.restart();

      expect(await runEnded(queue, run, 480_000)).toBe("completed");
      expect(datasetOutputs(root)).toEqual(dataset.local);
      expect(tempFiles(root)).toEqual([]);
      // Each killed job was found stalled once and finished by another worker.
      for (const { worker, line } of [compress, index]) {
        const job = await queue.getJob(line.job as string);
        expect(await job?.getState()).toBe("completed");
        expect(job?.stalledCounter).toBe(1);
        expect(job?.processedBy).not.toBe(worker.name);
      }
    } finally {
      for (const w of workers) await w.stop();
      await close();
    }
  }, 600_000);
});
