/**
 * What of a dataset root is published. The top level is an allow-list (the spec's layout), so a
 * scratch folder or a stray file beside `data/` never reaches a public repo by accident; below it,
 * everything except rigwatch's own state and leftovers.
 */
export const PUBLISHED_FOLDERS = ["data", "processed", "figures"] as const;
export const PUBLISHED_FILES = ["README.md", "tasks.json", "LICENSE", "LICENSE.md", "CITATION.cff"] as const;

/** Why a path of the dataset folder is not published. */
export type ExclusionReason =
  /**
   * A name starting with "." anywhere in the path: `.rigwatch/` (stage state), `.git/`, the atomic
   * writers' temp files (`.<name>.<pid>.tmp`, `.<name>.compress-tmp`), editor and OS droppings.
   */
  | "hidden"
  /** `*.h5.corrupt` (and `.corrupt.N`): a file the integrity check took out of the dataset. */
  | "quarantined"
  /** A top-level entry that is not part of the dataset layout. */
  | "outside_layout"
  /** A symlink, socket or device: only regular files are published (links are not followed). */
  | "not_regular";

const QUARANTINED = /\.h5\.corrupt(\.\d+)?$/;

/**
 * Why `path` (relative, "/"-separated) is left out, or undefined when it is published. `isFolder`
 * says whether it names a folder, so the top-level allow-list can tell `data/` from a file `data`.
 */
export function exclusionReason(path: string, isFolder: boolean): ExclusionReason | undefined {
  const parts = path.split("/");
  if (parts.some((part) => part.startsWith("."))) return "hidden";
  const top = parts[0] as string;
  const allowed =
    parts.length > 1 || isFolder
      ? (PUBLISHED_FOLDERS as readonly string[]).includes(top)
      : (PUBLISHED_FILES as readonly string[]).includes(top);
  if (!allowed) return "outside_layout";
  if (!isFolder && QUARANTINED.test(path)) return "quarantined";
  return undefined;
}
