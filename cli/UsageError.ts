import { UserFacingError } from "../config/UserFacingError.js";
/** A command line that cannot be run as given; the CLI prints it with the command's usage. */
export class UsageError extends UserFacingError {
  override readonly name = "UsageError";
}
