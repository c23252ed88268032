import { innermostCause } from "../../hw/h5/hdf5Message.js";

const DISK_FULL = /No space left on device|Disk quota exceeded/i;

export interface H5Failure {
  /** The innermost cause, one line. */
  readonly detail: string;
  /** The write failed because the disk or quota is full. */
  readonly diskFull: boolean;
}

/**
 * h5wasm's throwing error handler throws HDF5's whole error stack as a string. A failed write ends in
 * `H5FD__sec2_write(): file write failed: time = …, filename = …, errno = N, error message = 'No space
 * left on device', …` (errno in emscripten's numbering, so the message is what tells the cause).
 * Returns one readable line, and whether the disk or quota was full.
 */
export function describeH5Failure(error: unknown): H5Failure {
  const system = systemFailure(error);
  if (system !== undefined) return system;
  const text = error instanceof Error ? error.message : String(error);
  const systemMessage = /error message = '([^']*)'/.exec(text)?.[1];
  const cause = innermostCause(text).replace(/: time = .*/s, "");
  return {
    detail: systemMessage === undefined ? cause : `${cause}: ${systemMessage}`,
    diskFull: DISK_FULL.test(text),
  };
}

/**
 * A failed write of the stage's own (the chunks placeChunks appends): Node's `ENOSPC: no space left on
 * device, write`, told the way HDF5 tells its own, `file write failed: No space left on device`.
 */
function systemFailure(error: unknown): H5Failure | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, syscall } = error as NodeJS.ErrnoException;
  if (typeof code !== "string" || typeof syscall !== "string") return undefined;
  const what = /^[A-Z0-9]+: ([^,]*)/.exec(error.message)?.[1] ?? code;
  return {
    detail: `file ${syscall} failed: ${what.charAt(0).toUpperCase()}${what.slice(1)}`,
    diskFull: code === "ENOSPC" || code === "EDQUOT",
  };
}
