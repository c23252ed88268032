import { UserFacingError } from "./UserFacingError.js";
/** A config value that does not fit: names the key, where it came from and what was expected. */
export class ConfigError extends UserFacingError {
  override readonly name = "ConfigError";
  constructor(
    readonly key: string,
    readonly source: string,
    readonly expected: string,
  ) {
    super(`config ${key} (from ${source}): ${expected}`);
  }
}
