import { UserFacingError } from "../../config/UserFacingError.js";
/** A `.pt` file could not be written as asked (wrong byte count, unsupported value, I/O failure). */
export class TorchWriteError extends UserFacingError {
  override readonly name = "TorchWriteError";

  constructor(
    readonly path: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${path}: ${detail}`, options);
  }
}
