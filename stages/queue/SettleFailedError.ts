import { basename } from "node:path";
import { UnrecoverableError } from "bullmq";

/** How its message starts: `queue status` lists it, `queue retry` runs the session's job again from settle. */
export const SETTLE_FAILED = "settle failed ";

/**
 * A session's settle step failed on bad input (tasks.json that cannot take the session's active
 * sensors, a take unreadable here: a UserFacingError): retrying as it is cannot fix it, so the
 * session's job fails once (UnrecoverableError) with the cause's name and message kept in its
 * reason, as a corrupt take's job does. Recorded failed in the session's stages.json too, as the
 * local chain records it; once the input is fixed, `rigwatch queue retry` runs the job again.
 */
export class SettleFailedError extends UnrecoverableError {
  constructor(
    readonly session: string,
    readonly causeName: string,
    readonly detail: string,
  ) {
    super(`${SETTLE_FAILED}${basename(session)}: ${causeName}: ${detail}`);
    this.name = "SettleFailedError";
  }
}
