import { createHash, randomUUID } from "node:crypto";
import { resolve } from "node:path";
import type { Redis } from "ioredis";

/** Deletes the lock only when it is still ours (it may have expired and been taken by another). */
const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;

export interface SessionLockOptions {
  readonly redis: Redis;
  /** Longest a holder keeps it: a worker killed while holding it blocks the others no longer. */
  readonly ttlMs?: number;
}

/**
 * One writer at a time on a session's `.rigwatch/stages.json`, across every worker on every machine:
 * the file is read, changed and written whole, and workers on the same session change different
 * takes' records at once. A Redis key (SET NX PX) rather than a lock file: Redis is what every worker
 * already shares, and lock files are unreliable on NFS. Held only around the file's read-modify-write,
 * never around a stage's work.
 */
export class SessionLock {
  readonly #redis: Redis;
  readonly #ttlMs: number;

  constructor({ redis, ttlMs = 10_000 }: SessionLockOptions) {
    this.#redis = redis;
    this.#ttlMs = ttlMs;
  }

  /** Runs `work` holding the lock of `session` (a session folder; compress also locks a take's path). */
  async with<T>(session: string, work: () => T | Promise<T>): Promise<T> {
    const key = `rigwatch:lock:${createHash("sha256").update(resolve(session)).digest("hex").slice(0, 24)}`;
    const token = randomUUID();
    for (let wait = 2; ; wait = Math.min(wait * 2, 50)) {
      if ((await this.#redis.set(key, token, "PX", this.#ttlMs, "NX")) === "OK") break;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    try {
      return await work();
    } finally {
      await this.#redis.eval(RELEASE, 1, key, token);
    }
  }
}
