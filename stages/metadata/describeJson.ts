/** A short name for what a value is, for messages that say what was found instead. */
export function describeJson(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string")
    return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)})`;
  if (typeof value === "object") return "an object";
  return `a ${typeof value} (${String(value)})`;
}
