import { UserFacingError } from "../../config/UserFacingError.js";

/** `--queue` is not a Redis address this can use. */
export class QueueUrlError extends UserFacingError {
  constructor(
    readonly url: string,
    reason: string,
  ) {
    super(`--queue ${url}: ${reason} (expected redis://HOST:PORT)`);
    this.name = "QueueUrlError";
  }
}
