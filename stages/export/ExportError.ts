import { UserFacingError } from "../../config/UserFacingError.js";

/** An export that cannot be made as asked: the file and what was wrong are named. */
export class ExportError extends UserFacingError {
  override readonly name = "ExportError";
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
  }
}
