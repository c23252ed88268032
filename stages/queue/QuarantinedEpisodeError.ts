import { UnrecoverableError } from "bullmq";

/** How its message starts: `process --queue --follow` does not count these as failures, as `process`. */
export const UNUSABLE_TAKE = "unusable take ";

/**
 * A take that check found corrupt (renamed *.h5.corrupt) or could not open: retrying cannot fix it, so
 * the job fails once (UnrecoverableError) and keeps the check's typed error (its code) in its reason.
 */
export class QuarantinedEpisodeError extends UnrecoverableError {
  constructor(
    readonly episode: string,
    readonly code: string,
    readonly detail: string,
    readonly quarantinedAs: string | undefined,
  ) {
    super(
      `${UNUSABLE_TAKE}${episode}: ${code}: ${detail}${quarantinedAs ? ` (quarantined as ${quarantinedAs})` : ""}`,
    );
    this.name = "QuarantinedEpisodeError";
  }
}
