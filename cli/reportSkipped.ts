import type { SkippedPath } from "../stages/dataset/index.js";

/**
 * Says which paths a command left out (links, folders it may not list, things named like an episode
 * that are not one), one line each (`{"type": "skipped", path, reason, error}` with --json), so nothing
 * is passed over in silence. Returns how many.
 */
export function reportSkipped(skipped: readonly SkippedPath[], json: boolean): number {
  for (const s of skipped)
    console.log(
      json
        ? JSON.stringify({ type: "skipped", path: s.path, reason: s.reason, error: s.message })
        : `skipped  ${s.message}`,
    );
  return skipped.length;
}
