import { UserFacingError } from "../../config/UserFacingError.js";
/** Why an episode file cannot be used. `corrupt` codes send the file to quarantine (spec §1). */
export type EpisodeErrorCode =
  | "open_failed"
  | "truncated"
  | "missing_dataset"
  | "bad_shape"
  | "bad_dtype"
  | "frame_count_mismatch"
  | "bad_timestamps"
  | "missing_filter"
  | "read_failed";

export class EpisodeError extends UserFacingError {
  override readonly name = "EpisodeError";
  constructor(
    readonly code: EpisodeErrorCode,
    readonly file: string,
    readonly dataset: string | undefined,
    detail: string,
  ) {
    super(`${file}${dataset ? ` [${dataset}]` : ""}: ${code.replaceAll("_", " ")}: ${detail}`);
  }

  /**
   * Faults that make the file corrupt and send it to quarantine. A missing decoder is this machine's
   * problem, and non-increasing camera timestamps are a recorder bug to report, not to hide.
   */
  get corrupt(): boolean {
    return this.code !== "missing_filter" && this.code !== "bad_timestamps";
  }
}
