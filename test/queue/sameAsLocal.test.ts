import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../helpers/paths.js";
import { RedisServer } from "../helpers/RedisServer.js";
import { waitForAsync } from "../helpers/waitFor.js";
import { copyDataset, ensureQueueDataset, type QueueDataset, sessionsOf } from "./queueDataset.js";
import {
  datasetOutputs,
  enqueue,
  openQueue,
  QUEUE_FLAGS,
  runCli,
  runEnded,
  tempFiles,
  WorkerProcess,
} from "./queueProcesses.js";

const short = (session: string) =>
  `${session.slice(session.lastIndexOf("/") + 1)}@${createHash("sha256").update(resolve(session)).digest("hex").slice(0, 8)}`;

/** Every job a run over the dataset has, by id: the plan's and the ones its session jobs add. */
function expectedJobs(run: string, root: string): string[] {
  const [first, second] = sessionsOf(root) as [string, string];
  const takes: [string, string[], string[]][] = [
    [first, ["episode_000", "episode_001", "episode_009"], ["episode_000", "episode_001"]],
    [second, ["episode_000"], ["episode_000"]],
  ];
  const ids = [`${run}.reports`];
  for (const [session, all, usable] of takes) {
    const s = `${run}.${short(session)}`;
    ids.push(`${s}.session`);
    for (const e of all) for (const stage of ["check", "analyse", "compress"]) ids.push(`${s}.${e}.${stage}`);
    for (const e of usable) for (const stage of ["index", "previews"]) ids.push(`${s}.session.${e}.${stage}`);
  }
  return ids.sort();
}

// Timeouts only turn a hang into a failure. The dataset and the local run are made once for every
// queue test (queueDataset.ts); each test runs the queue on a copy.
describe("process --queue: the chain through BullMQ on a real Redis, the same outputs as the local process", () => {
  const dir = tempDir();
  let dataset: QueueDataset;
  let redis: RedisServer;
  let local: Record<string, string>;
  const copy = (name: string) => copyDataset(dataset, join(dir.path, name));

  beforeAll(async () => {
    [dataset, redis] = await Promise.all([ensureQueueDataset(), RedisServer.start()]);
    local = dataset.local;
  }, 600_000);
  afterAll(async () => {
    await redis?.stop();
    dir.cleanup();
  });

  it("one worker process: byte-identical outputs; the corrupt take quarantined and its job failed once", async () => {
    const root = copy("one");
    const worker = await WorkerProcess.start(redis.url, 2);
    const { queue, close } = openQueue(redis.url);
    try {
      const followed = await runCli([
        "process",
        ...sessionsOf(root),
        "--queue",
        redis.url,
        "--follow",
        "--json",
        ...QUEUE_FLAGS,
      ]);
      // A quarantined take is not a failure of the run, as with the local process.
      expect(followed.code, followed.stderr).toBe(0);
      const lines = followed.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { type: string; run?: string; state?: string; failed?: unknown[] });
      const run = lines[0]?.run as string;
      expect(lines.at(-1)).toEqual({ type: "run", run, state: "completed", failed: [] });
      expect(datasetOutputs(root)).toEqual(local);
      expect(tempFiles(root)).toEqual([]);
      expect(existsSync(`${dataset.corrupt.replace(dataset.root, root)}.corrupt`)).toBe(true);

      const corrupt = await queue.getJob(`${run}.${short(sessionsOf(root)[0] as string)}.episode_009.check`);
      expect(await corrupt?.getState()).toBe("failed");
      expect(corrupt?.attemptsMade).toBe(1); // queue.attempts is 3: retrying cannot fix a truncated file
      expect(corrupt?.failedReason).toMatch(
        /^unusable take episode_009: truncated: .*\(quarantined as .*episode_009\.h5\.corrupt\)$/,
      );
      const ended = worker.ended().map((l) => l.job as string);
      expect([...ended].sort()).toEqual(expectedJobs(run, root));

      // queue status: the failed job with its error, the worker's count; queue retry: it runs once more
      // (the take is gone: renamed *.corrupt) and fails once more, not forever.
      const status = await runCli(["queue", "status", "--queue", redis.url, "--json"]);
      expect(status.code, status.stderr).toBe(0);
      const parsed = JSON.parse(status.stdout) as {
        counts: Record<string, number>;
        workers: Record<string, { active: number; completed: number; failed: number }>;
        failed: { id: string; stage: string; attempts: number; error: string }[];
      };
      expect(parsed.counts).toMatchObject({ waiting: 0, active: 0, failed: 1, completed: ended.length - 1 });
      expect(parsed.workers).toEqual({
        [worker.name]: { active: 0, completed: ended.length - 1, failed: 1 },
      });
      expect(parsed.failed).toEqual([
        {
          id: corrupt?.id,
          stage: "check",
          subject: expect.stringMatching(/episode_009\.h5$/),
          attempts: 1,
          error: corrupt?.failedReason,
        },
      ]);
      const retried = await runCli(["queue", "retry", "--queue", redis.url]);
      expect([retried.code, retried.stdout]).toEqual([0, "retried 1 failed job\n"]);
      // `queue retry` returned once the job was back in the queue: its next "failed" is the retry's.
      await waitForAsync(
        async () => (await (await queue.getJob(corrupt?.id as string))?.getState()) === "failed",
        "the retried job to fail again",
        60_000,
      );
      const again = await queue.getJob(corrupt?.id as string);
      expect([await again?.getState(), again?.attemptsMade]).toEqual(["failed", 1]);
      expect(again?.failedReason).toMatch(/^unusable take episode_009: /);
    } finally {
      expect(await worker.stop()).toBe(0);
      await close();
    }
  }, 600_000);

  it("three worker processes and two enqueues at once: every job runs once, byte-identical outputs", async () => {
    const root = copy("three");
    const workers = await Promise.all([1, 2, 3].map(() => WorkerProcess.start(redis.url, 1)));
    const { queue, close } = openQueue(redis.url);
    try {
      const [a, b] = await Promise.all([
        enqueue(redis.url, sessionsOf(root)),
        enqueue(redis.url, sessionsOf(root)),
      ]);
      expect(b).toBe(a);
      expect(await runEnded(queue, a, 480_000)).toBe("completed");
      // The job ends in Redis a moment before its worker prints it.
      await waitForAsync(
        () => Promise.resolve(workers.some((w) => w.ended().some((l) => l.job === `${a}.reports`))),
        "a worker to print the reports job",
        30_000,
      );
      expect(datasetOutputs(root)).toEqual(local);
      expect(tempFiles(root)).toEqual([]);
      const ended = workers.flatMap((w) => w.ended().map((l) => l.job as string));
      expect([...ended].sort()).toEqual(expectedJobs(a, root)); // each once, across the three
      expect(workers.filter((w) => w.ended().length > 0).length).toBeGreaterThan(1);

      // Enqueued again once finished. The truncated take is now *.corrupt, not a take: other takes, so
      // another run, whose jobs all find their work done; the same takes once more are the same run,
      // its finished jobs removed and added anew.
      const followed = async () => {
        const r = await runCli([
          "process",
          ...sessionsOf(root),
          "--queue",
          redis.url,
          "--follow",
          "--json",
          ...QUEUE_FLAGS,
        ]);
        expect(r.code, r.stderr).toBe(0);
        return JSON.parse(r.stdout.split("\n")[0] as string) as { run: string; outcome: string };
      };
      const next = await followed();
      expect(next.outcome).toBe("added");
      expect(next.run).not.toBe(a);
      expect(await followed()).toMatchObject({ run: next.run, outcome: "again" });
      expect(datasetOutputs(root)).toEqual(local);
    } finally {
      for (const w of workers) expect(await w.stop()).toBe(0);
      await close();
    }
  }, 600_000);
});
