import type { JsonValue } from "./Json.js";
import type { TextStyle } from "./textStyle.js";

/**
 * A value as JSON text placed on a line indented by `base`: JSON.stringify's layout with the file's
 * indentation unit and line ending (JSON.stringify escapes newlines inside strings, so every "\n" it
 * writes is layout). Files written on one line get the one-line form.
 */
export function renderJson(value: JsonValue, style: TextStyle, base: string): string {
  if (style.indent === undefined) return renderInline(value, style);
  return JSON.stringify(value, null, style.indent)
    .split("\n")
    .join(style.eol + base);
}

/**
 * One-line JSON: with ", " and ": " separators (Python json.dumps' default, easy to read), or none
 * in a minified file.
 */
export function renderInline(value: JsonValue, style: TextStyle): string {
  if (style.minified) return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => renderInline(v, style)).join(", ")}]`;
  if (value !== null && typeof value === "object")
    return `{${Object.entries(value)
      .map(([key, v]) => `${JSON.stringify(key)}: ${renderInline(v, style)}`)
      .join(", ")}}`;
  return JSON.stringify(value);
}
