import { type Dirent, lstatSync, readdirSync, statSync } from "node:fs";
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

/** Why a candidate was left out of a run, so the command can say so instead of passing over it. */
export type SkipReason = "symlink" | "unreadable_folder" | "not_a_file";

/** A path that looked like it belonged to the run but was not taken, and why. */
export interface SkippedPath {
  readonly path: string;
  readonly reason: SkipReason;
  /** A sentence for the person reading the output. */
  readonly message: string;
}

export interface EpisodeScan {
  /** Regular `episode_NNN.h5` files, sorted, so runs are repeatable. */
  readonly episodes: string[];
  /** Everything left out that a person would expect to be in: links, folders rigwatch may not list. */
  readonly skipped: SkippedPath[];
}

const explain: Record<SkipReason, (path: string, detail: string) => string> = {
  symlink: (path) =>
    `${path}: skipped, a symbolic link (rigwatch curates a recording where it lies, never through a link; name the file itself)`,
  unreadable_folder: (path, detail) => `${path}: skipped, the folder cannot be listed (${detail})`,
  not_a_file: (path) => `${path}: skipped, named like an episode but not a regular file`,
};

function skip(path: string, reason: SkipReason, detail = ""): SkippedPath {
  return { path, reason, message: explain[reason](path, detail) };
}

/**
 * Episode files named by the user: files as given, folders searched recursively for `episode_NNN.h5`
 * (quarantined `*.h5.corrupt` files and hidden folders such as `.rigwatch/` are left out). A folder
 * named on the command line is followed even through a link; inside it, links are never followed and
 * are reported, as are folders that cannot be listed and anything named like an episode that is not a
 * regular file. A name that does not exist at all throws EpisodePathError.
 */
export function scanEpisodes(paths: readonly string[]): EpisodeScan {
  const found = new Set<string>();
  const skipped: SkippedPath[] = [];
  for (const path of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      throw new EpisodePathError(path);
    }
    if (isDir) walk(path, found, skipped);
    else if (lstatSync(path).isSymbolicLink()) skipped.push(skip(path, "symlink"));
    // A file named on the command line is taken whatever its name (a person asked for it); folders
    // give only their episode_NNN.h5 files.
    else if (!statSync(path).isFile()) skipped.push(skip(path, "not_a_file"));
    else found.add(path);
  }
  return { episodes: [...found].sort(), skipped: skipped.sort((a, b) => (a.path < b.path ? -1 : 1)) };
}

/** `scanEpisodes` for callers that only want the episodes. */
export function findEpisodes(paths: readonly string[]): string[] {
  return scanEpisodes(paths).episodes;
}

function walk(dir: string, found: Set<string>, skipped: SkippedPath[]): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    skipped.push(skip(dir, "unreadable_folder", (error as NodeJS.ErrnoException).code ?? String(error)));
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    const episodeName = EPISODE_FILE.test(entry.name);
    if (entry.isSymbolicLink()) {
      if (episodeName || isFolder(path)) skipped.push(skip(path, "symlink"));
    } else if (entry.isDirectory()) {
      if (episodeName) skipped.push(skip(path, "not_a_file"));
      else if (!entry.name.startsWith(".")) walk(path, found, skipped);
    } else if (episodeName) {
      if (entry.isFile()) found.add(path);
      else skipped.push(skip(path, "not_a_file"));
    }
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false; // a dangling link
  }
}
