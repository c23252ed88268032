import { UserFacingError } from "../../config/UserFacingError.js";
/** A preview or clip that cannot be made: the episode, the file or the setting is named. */
export class PreviewError extends UserFacingError {
  override readonly name = "PreviewError";
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
  }
}
