import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/** The team's shared fixtures live beside the project's root. */
export const SHARED_FIXTURES = resolve(PROJECT_ROOT, "../shared/fixtures");
export const FAULTED_EPISODE = join(SHARED_FIXTURES, "h5/faulted/episode_000.h5");
export const FAULTED_TRUTH = join(SHARED_FIXTURES, "h5/faulted/episode_000.truth.json");

/** A fresh temp folder, removed by the returned cleanup. */
export function tempDir(prefix = "rigwatch-test-"): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}
