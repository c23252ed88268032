import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, rmSync } from "node:fs";
import { hostname } from "node:os";
import { basename, dirname, join } from "node:path";
import { h5Module } from "../../hw/h5/runtime.js";
import { processAlive } from "../../sinks/processAlive.js";

/** The part of a compression's temporary name that says whose it is. */
export interface CompressAttempt {
  /** The machine it runs on (dots and other separators replaced). */
  readonly host: string;
  readonly pid: number;
  /** Random per attempt: two attempts in one process (two worker threads) never share a file. */
  readonly id: string;
}

const SUFFIX = ".compress-tmp";

/** This machine's name as it appears in temporary names (no dots, no slashes). */
export function thisHost(): string {
  return hostname().replace(/[^A-Za-z0-9_-]/g, "_") || "host";
}

/** A new attempt of this process: its own temporary file, whatever else runs on the take. */
export function newAttempt(): CompressAttempt {
  return { host: thisHost(), pid: process.pid, id: randomBytes(6).toString("hex") };
}

/**
 * The temporary file of one compression attempt, in the same folder (so the final rename is atomic)
 * and hidden: `episode_000.h5` → `.episode_000.h5.<host>.<pid>.<random>.compress-tmp`. Every attempt
 * writes its own, so an attempt that outlived its claim on the take (a worker paused past its queue
 * lock) can never write into, or rename, another attempt's half-written copy.
 */
export function tempPathFor(path: string, attempt: CompressAttempt = newAttempt()): string {
  return join(dirname(path), `.${basename(path)}.${attempt.host}.${attempt.pid}.${attempt.id}${SUFFIX}`);
}

/** The single temporary name every compression used before attempts had their own: no owner to ask. */
export function legacyTempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}${SUFFIX}`);
}

export interface CompressTemp {
  readonly path: string;
  readonly attempt: CompressAttempt;
}

/** The attempts' temporary files of `path` in its folder, with whose they are. */
export function compressTemps(path: string): CompressTemp[] {
  const prefix = `.${basename(path)}.`;
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return [];
  }
  const temps: CompressTemp[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith(SUFFIX)) continue;
    const parts = name.slice(prefix.length, -SUFFIX.length).split(".");
    const [host, pid, id] = parts;
    if (parts.length !== 3 || !host || !/^\d+$/.test(pid ?? "") || !/^[0-9a-f]+$/.test(id ?? "")) continue;
    temps.push({ path: join(dirname(path), name), attempt: { host, pid: Number(pid), id: id as string } });
  }
  return temps.sort((a, b) => (a.path < b.path ? -1 : 1));
}

/**
 * Whether an attempt is certainly over: one of this machine whose process is gone. An attempt of
 * another machine cannot be asked from here (the queue asks Redis for its heartbeat, compressAttempt).
 */
export function deadOnThisHost(attempt: CompressAttempt): boolean {
  return attempt.host === thisHost() && !processAlive(attempt.pid);
}

/**
 * Removes the temporary files of `path` whose attempts are over (`dead`), and the single legacy name;
 * never the original, never a file of an attempt that may still be writing. Returns what it removed.
 */
export function removeDeadTemps(
  path: string,
  dead: (attempt: CompressAttempt) => boolean = deadOnThisHost,
): string[] {
  const removed: string[] = [];
  // Another attempt's file: this thread's HDF5 never opened it, so a plain unlink.
  for (const temp of compressTemps(path)) {
    if (!dead(temp.attempt)) continue;
    rmSync(temp.path, { force: true });
    removed.push(temp.path);
  }
  const legacy = legacyTempPathFor(path);
  if (existsSync(legacy)) {
    rmSync(legacy, { force: true });
    removed.push(legacy);
  }
  return removed;
}

interface EmscriptenStream {
  readonly path?: string;
}
interface EmscriptenFs {
  readonly streams: readonly (EmscriptenStream | null | undefined)[];
  close(stream: EmscriptenStream): void;
}

/**
 * After a failed write HDF5 may keep the file open (the throwing error handler leaves object ids
 * behind, so H5Fclose only marks the file closing). The descriptor would then hold a deleted file's
 * blocks until the thread exits: close every emscripten stream still open on `path`.
 */
export function releaseStreams(path: string): void {
  const fs = (h5Module() as unknown as { FS: EmscriptenFs }).FS;
  for (const stream of fs.streams) {
    if (stream?.path !== path) continue;
    try {
      fs.close(stream);
    } catch {
      // Already closed underneath: nothing left to release.
    }
  }
}

/** Removes the temporary file (and anything h5wasm still holds open on it). */
export function discardTemp(tempPath: string): void {
  releaseStreams(tempPath);
  rmSync(tempPath, { force: true });
}
