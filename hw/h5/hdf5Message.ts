/**
 * HDF5's error stack is a dozen lines of call sites; the innermost entry says what went wrong
 * ("truncated file: eof = …"). Return just that, for error messages a person can read.
 */
export function innermostCause(message: string): string {
  const entries = message.split("\n").filter((line) => /^\s+#\d+:/.test(line));
  const last = entries[entries.length - 1];
  if (last === undefined) return message.trim();
  return last.replace(/^\s+#\d+:.* in /, "").trim();
}
