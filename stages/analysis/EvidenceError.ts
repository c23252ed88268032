import { UserFacingError } from "../../config/UserFacingError.js";

/** The analysis pass could not leave usable evidence of an episode (the file moved under it). */
export class EvidenceError extends UserFacingError {
  override readonly name = "EvidenceError";
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
  }
}
