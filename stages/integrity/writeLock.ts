import { readFileSync, statSync } from "node:fs";
import { EpisodeError } from "../../hw/h5/errors.js";

/** A process holding a write lock on a file. */
export interface WriteLock {
  readonly pid: number;
  /** FLOCK, POSIX or OFDLCK, as the kernel lists it. */
  readonly kind: string;
}

/**
 * The write lock a process holds on `path`, read from the kernel's lock table (/proc/locks), or
 * undefined when there is none (or no such table: not Linux). HDF5 (h5py included) takes an exclusive
 * lock on a file it opens for writing and keeps it until the file is closed, so a take the recorder
 * is still appending to shows here, however long it pauses between frames.
 */
export function writeLockOn(path: string, locksTable = "/proc/locks"): WriteLock | undefined {
  let table: string;
  let stat: { dev: bigint; ino: bigint };
  try {
    table = readFileSync(locksTable, "utf8");
    stat = statSync(path, { bigint: true });
  } catch {
    return undefined;
  }
  const major = ((stat.dev >> 8n) & 0xfffn) | ((stat.dev >> 32n) & ~0xfffn);
  const minor = (stat.dev & 0xffn) | ((stat.dev >> 12n) & ~0xffn);
  for (const line of table.split("\n")) {
    // "1: FLOCK  ADVISORY  WRITE 27351 fe:00:2147593 0 EOF" (blocked waiters carry "->" and are skipped)
    const m = /^\d+:\s+(\w+)\s+\w+\s+(\w+)\s+(\d+)\s+([0-9a-f]+):([0-9a-f]+):(\d+)\s/.exec(line);
    if (!m || m[2] !== "WRITE") continue;
    if (BigInt(`0x${m[4]}`) === major && BigInt(`0x${m[5]}`) === minor && BigInt(m[6] as string) === stat.ino)
      return { pid: Number(m[3]), kind: m[1] as string };
  }
  return undefined;
}

/** The file is still open for writing by another process: reading it now would judge half a take. */
export function beingWritten(path: string): EpisodeError | undefined {
  const lock = writeLockOn(path);
  return lock
    ? new EpisodeError(
        "being_written",
        path,
        undefined,
        `process ${lock.pid} holds it open for writing (${lock.kind} lock); left alone until it is closed`,
      )
    : undefined;
}
