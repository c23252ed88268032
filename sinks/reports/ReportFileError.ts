import { UserFacingError } from "../../config/UserFacingError.js";
/** An existing report or notes file (freeze_intervals.json, tasks.json) that rigwatch cannot use. */
export class ReportFileError extends UserFacingError {
  override readonly name = "ReportFileError";
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
  }
}
