import { UserFacingError } from "../../config/UserFacingError.js";
/**
 * Why an episode could not be recompressed. In every case the original file's bytes are left as they
 * were (a damaged one is also renamed out of the way, see `corrupt_chunk`).
 */
export type CompressErrorCode =
  /** The source does not open as HDF5 (truncated, not HDF5, unreadable). */
  | "open_failed"
  /** A dataset or attribute of the source cannot be read (missing filter, I/O error). */
  | "read_failed"
  /**
   * A chunk of the source is damaged: its filter refuses it, or it decodes to different bytes on each
   * read. The file is never recompressed; it is renamed `*.h5.corrupt` (quarantinedAs), bytes kept.
   */
  | "corrupt_chunk"
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

export interface CompressErrorOptions {
  readonly cause?: unknown;
  /** Where a damaged file was renamed to (`corrupt_chunk`). */
  readonly quarantinedAs?: string;
}

export class CompressError extends UserFacingError {
  override readonly name = "CompressError";
  readonly quarantinedAs: string | undefined;
  constructor(
    readonly code: CompressErrorCode,
    readonly file: string,
    readonly step: CompressStep,
    readonly dataset: string | undefined,
    readonly detail: string,
    options: CompressErrorOptions = {},
  ) {
    super(
      `${file}${dataset === undefined ? "" : ` [${dataset}]`}: ${code.replaceAll("_", " ")} (${step}): ${detail}` +
        (options.quarantinedAs === undefined ? "" : `; renamed to ${options.quarantinedAs}`),
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.quarantinedAs = options.quarantinedAs;
  }
}
