import { redactTokens } from "./redact.js";
import { UserFacingError } from "../../config/UserFacingError.js";

/** What stopped a publish. Nothing on the hub was changed unless the code says the commit failed. */
export type PublishErrorCode =
  /** No `--repo` and no `publish.repo`, or a name that is not `namespace/name`. */
  | "no_repo"
  /** `publish.hubUrl` is not an http(s) URL. */
  | "bad_hub_url"
  /** The environment variable named by `publish.tokenEnv` is unset or empty. */
  | "no_token"
  /** The token is there but cannot be a hub token (the client wants `hf_…`), or is read-only. */
  | "bad_token"
  /** The hub answered 401: the token was refused. */
  | "unauthorized"
  /** The hub answered 403: the token may not do this. */
  | "forbidden"
  /** The repo exists but the configured branch does not. */
  | "no_branch"
  /** Any other refusal of the hub (status and URL in the message). */
  | "hub_error"
  /** The hub could not be reached (DNS, refused connection, TLS…). */
  | "unreachable"
  /** The dataset folder is missing or holds nothing to publish. */
  | "bad_dataset"
  /** A file changed or vanished between the plan and its upload. */
  | "file_changed"
  /** Someone committed to the branch between the plan and the upload (the hub answered 412). */
  | "hub_moved"
  /** The pre-publish checks (spec §8) failed. */
  | "preflight_failed";

/**
 * Why `rigwatch publish` stopped, in words for the operator. The message never holds a token: it is
 * scrubbed of anything shaped like a hub token on construction, whatever the caller passed in.
 */
export class PublishError extends UserFacingError {
  override readonly name = "PublishError";
  constructor(
    readonly code: PublishErrorCode,
    message: string,
    /** The hub's HTTP status, when the hub refused. */
    readonly status?: number,
  ) {
    super(redactTokens(message));
  }
}
