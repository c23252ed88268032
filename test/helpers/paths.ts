import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { RECORDER_FIXTURES } from "../tools/recorderFixtures.js";

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/** The built CLI (`npm test` builds first). */
export const CLI = join(PROJECT_ROOT, "dist/cli/cli.js");
/** Fixtures committed with the tests (real NatNet captures, the recorder's file layouts). */
export const FIXTURES = join(PROJECT_ROOT, "test/fixtures");
/**
 * Recorder-format episodes written by h5py before the suite runs (test/setup/recorderFixtures.ts):
 * `episode_{blosc,lzf,gzip-shuffle}.h5` and `faulted/episode_000.h5` with its truth.
 */
export { RECORDER_FIXTURES };
export const recorderEpisode = (filter: "blosc" | "lzf" | "gzip-shuffle"): string =>
  join(RECORDER_FIXTURES, `episode_${filter}.h5`);
export const FAULTED_EPISODE = join(RECORDER_FIXTURES, "faulted/episode_000.h5");
export const FAULTED_TRUTH = join(RECORDER_FIXTURES, "faulted/episode_000.truth.json");

/** A fresh temp folder, removed by the returned cleanup. */
export function tempDir(prefix = "rigwatch-test-"): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}
