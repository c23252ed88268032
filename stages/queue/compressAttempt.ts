import type { Redis } from "ioredis";
import { EvidenceCache } from "../analysis/index.js";
import {
  type CompressAttempt,
  compressTemps,
  deadOnThisHost,
  newAttempt,
  placeVerifiedCopy,
  removeDeadTemps,
  thisHost,
} from "../compress/index.js";
import type { WorkerPool } from "../pool/index.js";
import type { StageResults } from "../scheduler/stageResults.js";
import { stageTask } from "../scheduler/stageTask.js";
import { rmSync } from "node:fs";
import { AttemptSupersededError } from "./AttemptSupersededError.js";
import type { SessionLock } from "./SessionLock.js";

export interface CompressAttemptOptions {
  readonly path: string;
  readonly level: number | undefined;
  readonly pool: WorkerPool;
  readonly redis: Redis;
  /** The Redis lock, taken here on the take's path: clean-up and rename are one attempt at a time. */
  readonly lock: SessionLock;
  /** The job's BullMQ lock key and this attempt's token: the job is this attempt's while they match. */
  readonly job: { readonly id: string; readonly lockKey: string; readonly token: string };
  /** How long an attempt's heartbeat stands unrenewed (renewed at a third of it). */
  readonly heartbeatMs: number;
}

/** Where an attempt says it is alive, for workers on other machines. */
export const heartbeatKey = (a: CompressAttempt): string => `rigwatch:attempt:${a.host}.${a.pid}.${a.id}`;

/**
 * One attempt of a queued compress job. Every attempt writes its own temporary file (host, pid,
 * random); the copy is renamed over the take only if the attempt still holds the job's lock, checked
 * under the take's Redis lock, so a worker paused past its lock (the job handed on meanwhile) never
 * replaces a take the new holder owns, and two attempts never touch one file.
 *
 * Before it starts, under the take's lock, it removes the temporary files of attempts that are over:
 * of this machine, when their process is gone; of another machine, when their heartbeat (a Redis key
 * each attempt renews while it runs) has expired. A file of a live attempt is never touched, nor the
 * original.
 */
export async function compressAttempt(options: CompressAttemptOptions): Promise<StageResults["compress"]> {
  const { path, redis, lock, job, heartbeatMs } = options;
  const attempt = newAttempt();
  const key = heartbeatKey(attempt);
  await redis.set(key, job.id, "PX", heartbeatMs);
  const heartbeat = setInterval(() => {
    redis.set(key, job.id, "PX", heartbeatMs).catch(() => {
      // Redis away: the attempt's own rename check fails too, so nothing is put in place.
    });
  }, heartbeatMs / 3);
  try {
    await lock.with(path, async () => {
      const dead = new Set<string>();
      for (const { attempt: other } of compressTemps(path))
        if (other.host !== thisHost() && (await redis.exists(heartbeatKey(other))) === 0) dead.add(other.id);
      removeDeadTemps(path, (other) => dead.has(other.id) || deadOnThisHost(other));
    });
    const result = await options.pool.run(stageTask("compress", path, options.level, undefined, { attempt }));
    if (result.status !== "verified") return result;
    const { tempPath, before, bytesBefore, bytesAfter, seconds } = result;
    await lock.with(path, async () => {
      if ((await redis.get(job.lockKey)) !== job.token) {
        rmSync(tempPath, { force: true });
        throw new AttemptSupersededError(path, job.id);
      }
      try {
        placeVerifiedCopy(tempPath, path);
      } catch (error) {
        rmSync(tempPath, { force: true });
        throw error;
      }
    });
    // The verified copy holds the same frames: the evidence read from the original stands for it.
    const evidenceCarried = EvidenceCache.carryOver(path, before ?? undefined);
    return { status: "compressed", bytesBefore, bytesAfter, seconds, evidenceCarried };
  } finally {
    clearInterval(heartbeat);
    await redis.del(key).catch(() => {
      // Redis away: the key expires by itself after heartbeatMs.
    });
  }
}
