import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../helpers/paths.js";
import { RedisServer } from "../helpers/RedisServer.js";
import { waitForAsync } from "../helpers/waitFor.js";
import { copyDataset, ensureQueueDataset, type QueueDataset, sessionsOf } from "./queueDataset.js";
import { enqueue, openQueue, runCli, runEnded, WorkerProcess } from "./queueProcesses.js";

describe("a session whose settle fails: a failed job with its typed error, retried by queue retry", () => {
  const dir = tempDir();
  let dataset: QueueDataset;
  let redis: RedisServer;

  beforeAll(async () => {
    [dataset, redis] = await Promise.all([ensureQueueDataset(), RedisServer.start()]);
  }, 600_000);
  afterAll(async () => {
    await redis?.stop();
    dir.cleanup();
  });

  it("fails once, listed by queue status; after the fix, queue retry runs it from settle to metadata", async () => {
    const root = copyDataset(dataset, join(dir.path, "settle"));
    const session = sessionsOf(root)[1] as string; // 2026-06-01: one clean take
    const tasks = join(root, "tasks.json");
    // The session's entry cannot take its active sensors: settle refuses to edit it (bad input).
    writeFileSync(
      tasks,
      `${JSON.stringify({ per_date_notes: { "2026-06-01": "a note, not an object" } })}\n`,
    );
    const worker = await WorkerProcess.start(redis.url, 1);
    const { queue, close } = openQueue(redis.url);
    try {
      const run = await enqueue(redis.url, [session]);
      await runEnded(queue, run, 300_000);
      const [failed] = (await queue.getJobs(["failed"])).filter((j) => j !== undefined);
      expect(failed?.name).toBe("session");
      expect(failed?.attemptsMade).toBe(1); // queue.attempts is 3: bad input is not retried
      expect(failed?.failedReason).toBe(
        `settle failed 2026-06-01: ReportFileError: ${tasks}: per_date_notes.2026-06-01 must be an object, found a string ("a note, not an object"); nothing was written`,
      );
      const state = JSON.parse(readFileSync(join(session, ".rigwatch/stages.json"), "utf8")) as {
        session: { settle: { state: string; error: string } };
      };
      expect(state.session.settle).toMatchObject({ state: "failed", error: expect.stringContaining(tasks) });

      const status = await runCli(["queue", "status", "--queue", redis.url, "--json"]);
      expect(status.code, status.stderr).toBe(0);
      expect((JSON.parse(status.stdout) as { failed: unknown[] }).failed).toEqual([
        { id: failed?.id, stage: "session", subject: session, attempts: 1, error: failed?.failedReason },
      ]);

      writeFileSync(tasks, "{}\n"); // the person's fix
      const retried = await runCli(["queue", "retry", "--queue", redis.url]);
      expect([retried.code, retried.stdout]).toEqual([0, "retried 1 failed job\n"]);
      await waitForAsync(
        async () => (await (await queue.getJob(failed?.id as string))?.getState()) === "completed",
        "the retried session job to complete",
        300_000,
      );
      const date = "2026-06-01";
      expect(existsSync(join(root, "processed/contact/motherboard", date, "episode_000.pt"))).toBe(true);
      expect(existsSync(join(root, "figures/episode_previews/motherboard", date, "episode_000.gif"))).toBe(
        true,
      );
      const written = JSON.parse(readFileSync(tasks, "utf8")) as { per_date_notes: Record<string, object> };
      expect(written.per_date_notes[date]).toHaveProperty("active_sensors");
    } finally {
      expect(await worker.stop()).toBe(0);
      await close();
    }
  }, 600_000);
});
