import { randomInt } from "node:crypto";
import { closeSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { OutputWriteError } from "./OutputWriteError.js";
import { processAlive } from "./processAlive.js";

export interface AtomicWriteOptions {
  /**
   * false for a cache: no fsync of the file or the folder. A killed process still leaves the old file
   * or the new one (the rename is atomic); a crash of the machine may leave it empty or torn, which a
   * cache's reader takes as a miss. Each fsync cost a re-run of detect ~5–10 ms per cache file.
   */
  readonly durable?: boolean;
}

/**
 * Writes a whole file or nothing: a temp file in the same folder, fsync, rename, fsync of the folder.
 * A killed process leaves either the old file or the new one, never half of either. A failure (no
 * permission, no space) leaves no temp file and throws OutputWriteError.
 */
export function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): void {
  const durable = options.durable ?? true;
  const temp = atomicTempPath(path);
  try {
    const fd = openSync(temp, "w");
    try {
      writeSync(fd, typeof data === "string" ? Buffer.from(data, "utf8") : data);
      if (durable) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw new OutputWriteError(path, error);
  }
  if (durable) fsyncDirectory(dirname(path));
}

/**
 * The temp file an atomic write of `path` goes through: hidden, same folder (rename stays atomic),
 * `.<name>.<pid>.<random digits>.tmp`. The pid says whether a leftover's writer is gone; the random
 * part keeps two writers of one file in one process apart (two worker threads: a queued job that
 * was handed on while its first attempt still ran), so neither writes into, or renames, the other's.
 */
export function atomicTempPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomInt(1e9)}.tmp`);
}

/** The writer's pid of a temp file of `path` (`.<name>.<pid>[.<random>].tmp`), if `name` is one. */
function tempOwner(path: string, name: string): number | undefined {
  const prefix = `.${basename(path)}.`;
  if (!name.startsWith(prefix) || !name.endsWith(".tmp")) return undefined;
  const match = /^(\d+)(\.\d+)?$/.exec(name.slice(prefix.length, -".tmp".length));
  const pid = match ? Number(match[1]) : 0;
  return pid > 0 ? pid : undefined;
}

/** Makes a rename in `dir` durable. */
export function fsyncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some filesystems refuse fsync on a directory; the rename itself is still atomic.
  }
}

/**
 * Removes the temp files that atomic writes of `path` left when their process was killed (the
 * writing process is gone); a live writer's temp file is left alone, this process's too (another
 * thread may be writing it). The pid is looked up on this machine: a writer on another machine that
 * shares the folder is not known here, and its temp file may be removed under it; its rename then
 * fails (OutputWriteError) and nothing half-written is put in place.
 */
export function removeAtomicLeftovers(path: string): string[] {
  const dir = dirname(path);
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const pid = tempOwner(path, name);
    if (pid === undefined || processAlive(pid)) continue;
    rmSync(join(dir, name), { force: true });
    removed.push(name);
  }
  return removed;
}
