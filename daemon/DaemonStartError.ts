import { UserFacingError } from "../config/UserFacingError.js";

/** Why a start failed, for the exit code: a busy port or endpoint, a bad setting, anything else. */
export type StartFailureKind = "busy" | "config" | "other";

const BUSY = new Set(["EADDRINUSE", "EACCES"]);
/** zeromq and node name a malformed endpoint or an unknown host with these. */
const BAD_SETTING = new Set([
  "EINVAL",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPROTONOSUPPORT",
  "ENODEV",
  "EADDRNOTAVAIL",
]);

/** A component of the daemon could not start: one line naming it and the cause. */
export class DaemonStartError extends UserFacingError {
  override readonly name = "DaemonStartError";
  readonly kind: StartFailureKind;

  constructor(
    readonly component: string,
    cause: unknown,
  ) {
    const code = (cause as { code?: unknown } | undefined)?.code;
    const message = cause instanceof Error ? cause.message : String(cause);
    const kind: StartFailureKind =
      typeof code === "string" && BUSY.has(code)
        ? "busy"
        : (typeof code === "string" && BAD_SETTING.has(code)) ||
            (cause as Error | undefined)?.name === "ConfigError"
          ? "config"
          : "other";
    const why = kind === "busy" ? "already in use" : message;
    super(`cannot start ${component}: ${why}${kind === "busy" ? ` (${message})` : ""}`, { cause });
    this.kind = kind;
  }
}
