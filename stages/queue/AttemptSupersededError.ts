/**
 * A job's attempt that no longer holds the job's lock when its work is ready to be put in place: it
 * was paused past `queue.lockDurationMs`, the stalled check handed the job to another worker, and the
 * holder now owns the take. The attempt removed its own temporary file and leaves the take alone;
 * nothing is recorded for it (the holder records the stage).
 */
export class AttemptSupersededError extends Error {
  constructor(
    readonly path: string,
    readonly jobId: string,
  ) {
    super(
      `${path}: job ${jobId} is no longer this attempt's (its lock passed on); its copy was removed unused`,
    );
    this.name = "AttemptSupersededError";
  }
}
