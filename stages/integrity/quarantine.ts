import { existsSync, linkSync, lstatSync, renameSync, unlinkSync } from "node:fs";
import { basename } from "node:path";
import { UserFacingError } from "../../config/UserFacingError.js";
import { EPISODE_FILE } from "../dataset/index.js";
import { writeLockOn } from "./writeLock.js";

/** A corrupt episode that could not (or must not) be renamed: it stays where it is, unchanged. */
export class QuarantineError extends UserFacingError {
  override readonly name = "QuarantineError";
  constructor(
    readonly path: string,
    /** `rename_failed` carries the system's code in `detail` (EACCES, EROFS, …). */
    readonly code: "not_an_episode" | "being_written" | "rename_failed",
    readonly detail: string,
  ) {
    super(`${path}: not renamed to *.corrupt: ${detail}`);
  }
}

/**
 * Takes a corrupt episode out of every later stage without deleting it (spec §1): renamed to
 * `*.h5.corrupt`, or `*.h5.corrupt.N` when an earlier quarantine already holds that name. Only a
 * regular `episode_NNN.h5` that no process holds open for writing is ever renamed; anything else, and a
 * rename the file system refuses, throws QuarantineError and leaves the file as it was.
 */
export function quarantine(path: string): string {
  let regular = false;
  try {
    regular = lstatSync(path).isFile();
  } catch {
    // gone or unreadable: refused below
  }
  if (!regular || !EPISODE_FILE.test(basename(path)))
    throw new QuarantineError(path, "not_an_episode", "only a regular episode_NNN.h5 file is ever renamed");
  const lock = writeLockOn(path);
  if (lock)
    throw new QuarantineError(path, "being_written", `process ${lock.pid} still holds it open for writing`);
  try {
    return renameWithoutReplacing(path);
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    throw new QuarantineError(path, "rename_failed", `${describeErrno(e.code)} (${e.code ?? e.message})`);
  }
}

/**
 * A new name beside `path` is linked first and the old one removed, so an earlier quarantine's file is
 * never replaced even if it appears between the check and the rename (a plain rename would overwrite
 * it). File systems without hard links get a plain rename to a name checked free.
 */
function renameWithoutReplacing(path: string): string {
  for (let n = 0; ; n++) {
    const target = n === 0 ? `${path}.corrupt` : `${path}.corrupt.${n}`;
    try {
      linkSync(path, target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EEXIST") continue;
      if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP") throw error;
      if (existsSync(target)) continue;
      renameSync(path, target);
      return target;
    }
    unlinkSync(path);
    return target;
  }
}

function describeErrno(code: string | undefined): string {
  switch (code) {
    case "EACCES":
    case "EPERM":
      return "its folder may not be written by this user";
    case "EROFS":
      return "its file system is read-only";
    case "ENOSPC":
      return "no space left";
    default:
      return "the file system refused the rename";
  }
}
