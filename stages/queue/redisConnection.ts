import { Redis } from "ioredis";
import { QueueUrlError } from "./QueueUrlError.js";

/** Where the queue lives: `redis://[user:password@]HOST[:PORT][/DB]`. */
export function checkQueueUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new QueueUrlError(url, "not a URL");
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:")
    throw new QueueUrlError(url, `the scheme is ${parsed.protocol.replace(/:$/, "")}, not redis`);
  if (parsed.hostname === "") throw new QueueUrlError(url, "no host");
  return parsed;
}

/**
 * An ioredis client for BullMQ. `maxRetriesPerRequest: null` is BullMQ's requirement: commands wait
 * through a lost connection (a restarted Redis) instead of failing, so workers pause and go on. The
 * retry strategy reconnects within a second, forever.
 */
export function redisConnection(url: string): Redis {
  checkQueueUrl(url);
  return new Redis(url, {
    maxRetriesPerRequest: null,
    retryStrategy: (times) => Math.min(100 * times, 1_000),
  });
}

/**
 * A client that gives up instead of waiting: connected before it is returned (refused, or
 * `timeoutMs` without an answer, throws), no reconnection, a command on a lost connection fails. For
 * the daemon's hand-off, which must know at once whether the queue took a session.
 */
export async function connectOnce(url: string, timeoutMs: number): Promise<Redis> {
  checkQueueUrl(url);
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  redis.on("error", () => {
    // Reported by the command or connect() that failed; without a listener ioredis prints it.
  });
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw error;
  }
  return redis;
}
