/** Rounds for reports: stable text across runs and machines, enough digits for every threshold. */
export function round(value: number, digits = 6): number {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** digits;
  const r = Math.round(value * f) / f;
  return Object.is(r, -0) ? 0 : r;
}

/** JSON with two-space indentation and intervals kept on one line, so a diff of two reports reads. */
export function reportJson(value: unknown): string {
  const text = JSON.stringify(value, null, 2);
  return `${text.replace(/\[\s+(-?\d+),\s+(-?\d+)\s+\]/g, "[$1, $2]")}\n`;
}
