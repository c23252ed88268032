import { type Dirent, existsSync, statSync } from "node:fs";
import { opendir } from "node:fs/promises";
import { join } from "node:path";
import { PublishError } from "./PublishError.js";
import { type ExclusionReason, exclusionReason } from "./publishedLayout.js";

/** A file of the dataset folder that is published. */
export interface LocalFile {
  /** Path in the repo: relative to the dataset root, "/"-separated. */
  readonly path: string;
  /** Absolute path on disk. */
  readonly absPath: string;
  readonly size: number;
}

/** A path left out; an excluded folder is one entry (its contents are not walked). */
export interface ExcludedPath {
  /** Relative path; a folder ends with "/". */
  readonly path: string;
  readonly reason: ExclusionReason;
}

export interface DatasetListing {
  /** Sorted by path (code-unit order, as the hub sorts). */
  readonly files: readonly LocalFile[];
  readonly excluded: readonly ExcludedPath[];
}

/**
 * Walks a dataset root and sorts what is published from what is left out (see publishedLayout.ts).
 * A root with nothing to publish is an error: most likely the wrong folder was given.
 */
export async function listDatasetFiles(root: string): Promise<DatasetListing> {
  if (!existsSync(root) || !statSync(root).isDirectory())
    throw new PublishError("bad_dataset", `dataset folder ${root} does not exist or is not a folder`);
  const files: LocalFile[] = [];
  const excluded: ExcludedPath[] = [];
  const walk = async (relDir: string): Promise<void> => {
    const entries: Dirent[] = [];
    for await (const entry of await opendir(join(root, relDir))) entries.push(entry);
    for (const entry of entries) {
      const path = relDir === "" ? entry.name : `${relDir}/${entry.name}`;
      const isFolder = entry.isDirectory();
      const reason: ExclusionReason | undefined =
        exclusionReason(path, isFolder) ?? (isFolder || entry.isFile() ? undefined : "not_regular");
      if (reason !== undefined) excluded.push({ path: isFolder ? `${path}/` : path, reason });
      else if (isFolder) await walk(path);
      else {
        const absPath = join(root, path);
        files.push({ path, absPath, size: statSync(absPath).size });
      }
    }
  };
  await walk("");
  if (files.length === 0)
    throw new PublishError(
      "bad_dataset",
      `nothing to publish in ${root}: no files under data/, processed/ or figures/, no tasks.json or README.md`,
    );
  const byPath = (a: { path: string }, b: { path: string }) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
  return { files: files.sort(byPath), excluded: excluded.sort(byPath) };
}
