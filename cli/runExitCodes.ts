/**
 * `rigwatch run`'s exit codes, from sysexits.h, so the service manager can tell them apart: restart
 * after a lost pipeline or a busy port, but not on a bad config (the unit sets
 * RestartPreventExitStatus=78).
 */
export const RUN_EXIT = {
  /** EX_USAGE is 64; our usage errors keep the CLI's 2. A config value or an endpoint that is wrong. */
  badConfig: 78,
  /** EX_TEMPFAIL: the HTTP port or a ZeroMQ endpoint is taken; it may be free on the next try. */
  busy: 75,
  /** EX_SOFTWARE: the live pipeline cannot go on (an uncaught error, the live stream ended). */
  lostPipeline: 70,
  /** A component did not stop in time on SIGTERM (everything else was stopped, the journal closed). */
  stopFailed: 1,
} as const;
