/**
 * Removes secrets from an error in place before it leaves the command: its message, stack and every
 * own field, nested objects and causes included (a ConfigError's `source` quotes the `--set` it came
 * from; a HubApiError's `data` is the hub's answer). The error keeps its class and name, so the CLI
 * still tells a user error from a bug.
 */
export function scrubError<T>(error: T, redact: (text: string) => string): T {
  scrub(error, redact, new Set());
  return error;
}

function scrub(value: unknown, redact: (text: string) => string, seen: Set<object>): void {
  if (value === null || typeof value !== "object" || seen.has(value)) return;
  seen.add(value);
  const fields = value as Record<string, unknown>;
  const keys = Object.keys(value);
  if (value instanceof Error) keys.push("message", "stack", "cause");
  for (const key of new Set(keys)) {
    const field = fields[key];
    if (typeof field !== "string") {
      scrub(field, redact, seen);
      continue;
    }
    const clean = redact(field);
    if (clean === field) continue;
    // A read-only field is better gone than printed (Reflect returns false instead of throwing).
    if (!Reflect.set(fields, key, clean)) Reflect.deleteProperty(fields, key);
  }
}
