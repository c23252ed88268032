import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempPathFor, thisHost } from "../../stages/compress/index.js";
import { WorkerPool } from "../../stages/pool/index.js";
import { AttemptSupersededError } from "../../stages/queue/AttemptSupersededError.js";
import { compressAttempt, heartbeatKey } from "../../stages/queue/compressAttempt.js";
import { SessionLock } from "../../stages/queue/SessionLock.js";
import { PROJECT_ROOT, recorderEpisode, tempDir } from "../helpers/paths.js";
import { RedisServer } from "../helpers/RedisServer.js";
import { h5Digest } from "../scheduler/helpers.js";

/** The job's lock as BullMQ keeps it: its key holds the token of the attempt that owns the job. */
const LOCK_KEY = "bull:rigwatch-stages:job-1:lock";

describe("a queued compress: each attempt its own temporary file, the rename only while it owns the job", () => {
  const dir = tempDir("rigwatch-attempt-");
  let redis: RedisServer;
  let client: Redis;
  let pool: WorkerPool;
  let lock: SessionLock;
  let original: Record<string, { filters: number[]; sha: string }>;
  const attempt = (path: string, token: string) =>
    compressAttempt({
      path,
      level: undefined,
      pool,
      redis: client,
      lock,
      job: { id: "job-1", lockKey: LOCK_KEY, token },
      heartbeatMs: 5_000,
    });
  const take = (name: string) => {
    const folder = join(dir.path, name);
    mkdirSync(folder, { recursive: true });
    const path = join(folder, "episode_000.h5");
    copyFileSync(recorderEpisode("blosc"), path);
    return path;
  };
  /** Every dataset's values as h5py reads them (SHA-256 each). */
  const content = (path: string) => Object.values(h5Digest(path)).map((d) => d.sha);

  beforeAll(async () => {
    redis = await RedisServer.start();
    client = new Redis(redis.url, { maxRetriesPerRequest: null });
    pool = new WorkerPool({ size: 2 });
    lock = new SessionLock({ redis: client });
    original = h5Digest(recorderEpisode("blosc"));
  }, 60_000);
  afterAll(async () => {
    await pool?.close();
    client?.disconnect();
    await redis?.stop();
    dir.cleanup();
  });

  it("two attempts at once: the one that lost the job's lock removes its copy; the owner's is put in place", async () => {
    const path = take("two");
    await client.set(LOCK_KEY, "token-b"); // the stalled check handed the job from attempt a to b
    const [a, b] = await Promise.allSettled([attempt(path, "token-a"), attempt(path, "token-b")]);
    expect(a.status).toBe("rejected");
    expect((a as PromiseRejectedResult).reason).toBeInstanceOf(AttemptSupersededError);
    expect(b).toMatchObject({ status: "fulfilled", value: { status: "compressed", evidenceCarried: false } });
    const now = h5Digest(path);
    expect(Object.values(now).map((d) => d.filters)).toEqual(Object.values(original).map(() => [1]));
    expect(content(path)).toEqual(Object.values(original).map((d) => d.sha));
    expect(readdirSync(join(dir.path, "two"))).toEqual(["episode_000.h5"]);
    // Neither attempt's heartbeat outlives it.
    expect(await client.keys("rigwatch:attempt:*")).toEqual([]);
  }, 120_000);

  it("a killed attempt's leftover is removed by the next; a live attempt's on another machine is kept", async () => {
    const path = take("killed");
    // A real compress killed (SIGKILL, no clean-up) once its copy is written and fsynced.
    const killed = spawnSync(
      process.execPath,
      ["--import", "tsx", "test/compress/killAt.ts", path, "written"],
      {
        cwd: PROJECT_ROOT,
        encoding: "utf8",
      },
    );
    expect(killed.signal).toBe("SIGKILL");
    const leftover = readdirSync(join(dir.path, "killed")).filter((n) => n.endsWith(".compress-tmp"));
    expect(leftover).toHaveLength(1);
    expect(leftover[0]).toContain(`.${thisHost()}.${killed.pid}.`);
    // Two attempts on another machine: one still renewing its heartbeat, one whose heartbeat expired.
    const alive = { host: "other-machine", pid: 41, id: "a11e" };
    const gone = { host: "other-machine", pid: 42, id: "de4d" };
    for (const other of [alive, gone]) writeFileSync(tempPathFor(path, other), "another machine's copy");
    await client.set(heartbeatKey(alive), "job-2", "PX", 60_000);

    await client.set(LOCK_KEY, "token-c");
    expect(await attempt(path, "token-c")).toMatchObject({ status: "compressed" });
    expect(content(path)).toEqual(Object.values(original).map((d) => d.sha));
    expect(readdirSync(join(dir.path, "killed")).sort()).toEqual([
      ".episode_000.h5.other-machine.41.a11e.compress-tmp",
      "episode_000.h5",
    ]);
  }, 120_000);
});
