import { UserFacingError } from "../../config/UserFacingError.js";
/** Why an episode could not be recompressed. In every case the original file is left as it was. */
export type CompressErrorCode =
  /** The source does not open as HDF5 (truncated, not HDF5, unreadable). */
  | "open_failed"
  /** A dataset or attribute of the source cannot be read (bad chunk, missing filter). */
  | "read_failed"
  /** Something h5wasm cannot write faithfully (a dtype, a layout). */
  | "unsupported"
  /** The disk (or quota) filled up while writing the temporary file. */
  | "disk_full"
  /** Any other failure writing the temporary file (EFBIG, EIO, …). */
  | "write_failed"
  /** The temporary file differs from the source. */
  | "verify_failed"
  /** fsync or the final rename failed. */
  | "replace_failed";

/** What the stage was doing when it failed. */
export type CompressStep = "open" | "inspect" | "copy" | "close" | "fsync" | "verify" | "rename";

export class CompressError extends UserFacingError {
  override readonly name = "CompressError";
  constructor(
    readonly code: CompressErrorCode,
    readonly file: string,
    readonly step: CompressStep,
    readonly dataset: string | undefined,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(
      `${file}${dataset === undefined ? "" : ` [${dataset}]`}: ${code.replaceAll("_", " ")} (${step}): ${detail}`,
      options,
    );
  }
}
