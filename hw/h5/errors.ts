import { UserFacingError } from "../../config/UserFacingError.js";

/** Why an episode file cannot be used. Only content faults send the file to quarantine (spec §1). */
export type EpisodeErrorCode =
  // What the file holds: bad structure or bad chunks. Corrupt.
  | "open_failed"
  | "truncated"
  | "missing_dataset"
  | "bad_shape"
  | "bad_dtype"
  | "frame_count_mismatch"
  | "read_failed"
  // Not the bytes' fault: the file is left where it is.
  | "not_found"
  | "not_a_file"
  | "permission_denied"
  | "io_error"
  | "no_space"
  | "being_written"
  | "no_frames"
  | "bad_timestamps"
  | "missing_filter"
  | "out_of_memory";

const CONTENT_FAULTS: ReadonlySet<EpisodeErrorCode> = new Set([
  "open_failed",
  "truncated",
  "missing_dataset",
  "bad_shape",
  "bad_dtype",
  "frame_count_mismatch",
  "read_failed",
]);

export class EpisodeError extends UserFacingError {
  override readonly name = "EpisodeError";
  constructor(
    readonly code: EpisodeErrorCode,
    readonly file: string,
    readonly dataset: string | undefined,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}${dataset ? ` [${dataset}]` : ""}: ${code.replaceAll("_", " ")}: ${detail}`, options);
  }

  /**
   * Faults of the file's content, which send it to quarantine. Permission, I/O and space errors are
   * this machine's, a missing decoder too; a file still being written is not finished; an empty take
   * and non-increasing camera timestamps are a recorder's doing, to report, not to hide.
   */
  get corrupt(): boolean {
    return CONTENT_FAULTS.has(this.code);
  }
}

/** System errors by the text HDF5 quotes (`error message = '…'`; its errno is emscripten's numbering). */
const SYSTEM_MESSAGES: readonly (readonly [RegExp, EpisodeErrorCode])[] = [
  [/Permission denied|Operation not permitted/i, "permission_denied"],
  [/No space left on device|Disk quota exceeded/i, "no_space"],
  [/Input\/output error/i, "io_error"],
];

/**
 * The code for a failure HDF5 (or the file system under it) reported: a system error is the machine's
 * fault, whatever HDF5 was doing; otherwise `fallback`, a content fault.
 */
export function failureCode(message: string, fallback: EpisodeErrorCode): EpisodeErrorCode {
  if (/Cannot enlarge memory|out of memory|\bOOM\b/i.test(message)) return "out_of_memory";
  const system = /error message = '([^']*)'/.exec(message)?.[1];
  if (system !== undefined)
    for (const [pattern, code] of SYSTEM_MESSAGES) if (pattern.test(system)) return code;
  return fallback;
}

/** The code is a fault of the file's content (what quarantine is for). */
export function isContentFault(code: string): boolean {
  return CONTENT_FAULTS.has(code as EpisodeErrorCode);
}

/** The code for a Node file-system error (`EACCES`, `EIO`, …) met while opening or reading a file. */
export function systemErrorCode(error: NodeJS.ErrnoException): EpisodeErrorCode {
  switch (error.code) {
    case "ENOENT":
      return "not_found";
    case "EISDIR":
      return "not_a_file";
    case "EACCES":
    case "EPERM":
      return "permission_denied";
    case "ENOSPC":
    case "EDQUOT":
      return "no_space";
    default:
      return "io_error";
  }
}
