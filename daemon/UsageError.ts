/** A command line that cannot be run as given; the CLI prints it with the command's usage. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
