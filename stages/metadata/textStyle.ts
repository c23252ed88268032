/** How a JSON file is laid out, so inserted text looks like what is around it. */
export interface TextStyle {
  /** One level of indentation ("\t", "    "…); undefined for a file written on one line. */
  readonly indent: string | undefined;
  readonly eol: "\n" | "\r\n";
  /** One-line JSON without spaces after ":" and "," (JSON.stringify(value)), rather than with them. */
  readonly minified: boolean;
}

/** A new file: two-space indentation, LF (what JSON.stringify(value, null, 2) writes). */
export const NEW_FILE_STYLE: TextStyle = { indent: "  ", eol: "\n", minified: false };

/**
 * The file's indentation unit, line ending and separators. JSON strings cannot hold a raw newline,
 * so the first indented line is structure: a first-level member, whose leading whitespace is one
 * level. A file that is only `{}` shows no layout and gets a new file's.
 */
export function detectTextStyle(text: string): TextStyle {
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  if (text.trim() === "{}") return { ...NEW_FILE_STYLE, eol };
  // A key's closing quote then ":" (an escaped quote inside a string is preceded by a backslash).
  const minified = /(?<!\\)":\S/.test(text) && !/(?<!\\)":\s/.test(text);
  const first = /\n([ \t]+)\S/.exec(text)?.[1];
  if (first === undefined) return { indent: undefined, eol, minified };
  return { indent: first.startsWith("\t") ? "\t" : (/^ +/.exec(first)?.[0] ?? first), eol, minified };
}
