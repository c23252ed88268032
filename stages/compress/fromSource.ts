/** A failure reading the source file, told apart from failures writing the copy. */
export class SourceReadError extends Error {
  constructor(
    readonly where: string,
    override readonly cause: unknown,
  ) {
    super(`reading ${where}`);
  }
}

/** Runs a read of the source, tagging whatever it throws as a SourceReadError. */
export function fromSource<T>(where: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new SourceReadError(where, error);
  }
}
