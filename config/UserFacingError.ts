/**
 * An error whose message is made for the person who ran the command: bad input, a file that cannot
 * be used, a service that refused. The CLI prints its message (no stack trace) and exits 1; anything
 * that is not one is a bug and keeps its stack.
 */
export class UserFacingError extends Error {}

/** A UserFacingError, or the copy of one that crossed a worker thread (it says so in `userFacing`). */
export function isUserFacing(error: unknown): error is Error {
  if (error instanceof UserFacingError) return true;
  return error instanceof Error && (error as { userFacing?: unknown }).userFacing === true;
}
