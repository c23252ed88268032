import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { UserFacingError } from "../../config/UserFacingError.js";
import { EPISODE_FILE } from "./datasetLayout.js";

/** A path named on the command line or by the daemon that does not exist. */
export class EpisodePathError extends UserFacingError {
  override readonly name = "EpisodePathError";
  constructor(readonly path: string) {
    super(`no such file or folder: ${path}`);
  }
}

/**
 * Episode files named by the user: files as given, folders searched recursively for
 * `episode_NNN.h5` (quarantined `*.h5.corrupt` files are left out). Sorted, so runs are repeatable.
 */
export function findEpisodes(paths: readonly string[]): string[] {
  const found = new Set<string>();
  for (const path of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      throw new EpisodePathError(path);
    }
    if (isDir) walk(path, found);
    else found.add(path);
  }
  return [...found].sort();
}

function walk(dir: string, found: Set<string>) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, found);
    else if (entry.isFile() && EPISODE_FILE.test(entry.name)) found.add(path);
  }
}
