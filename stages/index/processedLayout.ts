import { basename, dirname, join } from "node:path";
import { datasetRoot } from "../detect/datasetLayout.js";

/**
 * `<mode>` of spec §1's `processed/<mode>/<task>/<date>/episode_NNN.pt`: the kind of processed
 * product. The spec names no value; rigwatch writes one product, the contact index, hence "contact".
 */
export const DEFAULT_PROCESSED_MODE = "contact";

export interface ProcessedLayoutOptions {
  /** Put the files in this folder instead of the dataset layout. */
  readonly out?: string;
  readonly mode?: string;
}

/**
 * Where an episode's `.pt` goes: `<root>/processed/<mode>/<task>/<date>/` for a file in
 * `<root>/data/<task>/<date>/` (spec §1), else beside the file; `out` overrides both.
 */
export function processedDir(h5Path: string, options: ProcessedLayoutOptions = {}): string {
  if (options.out !== undefined) return options.out;
  const root = datasetRoot(h5Path);
  if (root === undefined) return dirname(h5Path);
  const dateDir = dirname(h5Path);
  return join(
    root,
    "processed",
    options.mode ?? DEFAULT_PROCESSED_MODE,
    basename(dirname(dateDir)),
    basename(dateDir),
  );
}

/** `episode_NNN.pt` and its `episode_NNN.contact.json` sidecar (spec §4) in `dir`. */
export function contactIndexFiles(h5Path: string, dir: string): { pt: string; sidecar: string } {
  const stem = basename(h5Path).replace(/\.h5$/, "");
  return { pt: join(dir, `${stem}.pt`), sidecar: join(dir, `${stem}.contact.json`) };
}
