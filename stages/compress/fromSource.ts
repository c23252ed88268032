/** A failure reading the source file, told apart from failures writing the copy. */
export class SourceReadError extends Error {
  constructor(
    /** The dataset read. */
    readonly dataset: string,
    /** Which part of it: `rows 5..5`, or the dataset's path for a whole read. */
    readonly where: string,
    override readonly cause: unknown,
  ) {
    super(`reading ${where}`);
  }
}

/** `rows a..b` of a slab read. */
export const rowsLabel = (start: number, rows: number): string => `rows ${start}..${start + rows - 1}`;

/** Runs a read of the source, tagging whatever it throws as a SourceReadError. */
export function fromSource<T>(dataset: string, where: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new SourceReadError(dataset, where, error);
  }
}
