import { mkdirSync } from "node:fs";
import { UserFacingError } from "../config/UserFacingError.js";

/** An output (report, index, preview, state) could not be written: the path and the system's reason. */
export class OutputWriteError extends UserFacingError {
  override readonly name = "OutputWriteError";
  /** The system's error code: EACCES, EROFS, ENOSPC, EDQUOT, EIO, … */
  readonly code: string;
  constructor(
    readonly path: string,
    error: unknown,
  ) {
    const code = (error as NodeJS.ErrnoException).code ?? "EIO";
    super(`${path}: cannot be written: ${reasonOf(code)} (${code})`, { cause: error });
    this.code = code;
  }
}

function reasonOf(code: string): string {
  switch (code) {
    case "EACCES":
    case "EPERM":
      return "this user may not write there";
    case "EROFS":
      return "the file system is read-only";
    case "ENOSPC":
    case "EDQUOT":
      return "no space left";
    case "ENOTDIR":
    case "EEXIST":
      return "a file stands where a folder should be";
    default:
      return "the file system refused";
  }
}

/** `mkdir -p`, failing with an OutputWriteError that names the folder. */
export function makeOutputDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new OutputWriteError(dir, error);
  }
}
