import { HashCache } from "./HashCache.js";
import { headCommit } from "./headCommit.js";
import type { HubTarget } from "./HubTarget.js";
import type { DatasetListing, ExcludedPath, LocalFile } from "./listDatasetFiles.js";
import { mapLimit } from "./mapLimit.js";
import { exclusionReason } from "./publishedLayout.js";
import { type RemoteFile, remoteTree } from "./remoteTree.js";

/** How a local file compares with the repo. */
export type FileStatus = "added" | "changed" | "unchanged";

/**
 * What a publish would do. Computing it changes nothing on the hub or in the dataset; it remembers
 * the files' hashes in the user's cache (HashCache) so the next plan need not read them again.
 */
export interface PublishPlan {
  readonly root: string;
  readonly repo: string;
  readonly hubUrl: string;
  readonly branch: string;
  /** False: the repo does not exist yet and the upload creates it. */
  readonly repoExists: boolean;
  /**
   * The branch's commit the plan compared against; the upload commits on top of exactly it, so a
   * commit someone else made since is never overwritten unseen. Undefined for a repo not there yet.
   */
  readonly parentCommit: string | undefined;
  readonly added: readonly LocalFile[];
  readonly changed: readonly LocalFile[];
  readonly unchanged: readonly LocalFile[];
  /** Files only the repo has. Listed, never deleted: removing data from a dataset is a person's call. */
  readonly remoteOnly: readonly RemoteFile[];
  readonly excluded: readonly ExcludedPath[];
}

/** Files hashed at once: enough to keep a disk busy, few enough not to thrash it. */
const HASH_JOBS = 4;

/** Compares a listing of the dataset folder with the repo's tree, file by file. */
export async function planPublish(
  root: string,
  listing: DatasetListing,
  target: HubTarget,
  onCompared?: (done: number, total: number) => void,
): Promise<PublishPlan> {
  const parentCommit = await headCommit(target);
  return comparePlan(root, target, listing, await remoteTree(target), parentCommit, onCompared);
}

/** The plan for a listing against a tree (undefined: no repo yet, so everything is added). */
export async function comparePlan(
  root: string,
  target: Pick<HubTarget, "repo" | "hubUrl" | "branch">,
  listing: DatasetListing,
  remote: ReadonlyMap<string, RemoteFile> | undefined,
  parentCommit?: string,
  /** Each file compared (hashing is the long part of a plan for a large dataset). */
  onCompared?: (done: number, total: number) => void,
): Promise<PublishPlan> {
  const hashes = HashCache.forDataset(root);
  let compared = 0;
  const statuses = await mapLimit(listing.files, HASH_JOBS, async (file) => {
    const status = await compareFile(file, remote?.get(file.path), hashes);
    onCompared?.(++compared, listing.files.length);
    return status;
  });
  hashes.save(new Set(listing.files.map((file) => file.path)));
  const pick = (status: FileStatus) => listing.files.filter((_, i) => statuses[i] === status);
  const local = new Set(listing.files.map((file) => file.path));
  const remoteOnly = [...(remote?.values() ?? [])]
    // The hub's own .gitattributes (and any hidden file) is not the dataset's business.
    .filter((file) => !local.has(file.path) && exclusionReason(file.path, false) !== "hidden")
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    root,
    repo: target.repo,
    hubUrl: target.hubUrl,
    branch: target.branch,
    repoExists: remote !== undefined,
    parentCommit,
    added: pick("added"),
    changed: pick("changed"),
    unchanged: pick("unchanged"),
    remoteOnly,
    excluded: listing.excluded,
  };
}

/**
 * Unchanged only when the content hashes to the repo's oid: sha256 against `lfs.oid` for LFS files,
 * the git blob sha1 against `oid` otherwise. A size difference settles it without reading the file.
 */
async function compareFile(
  file: LocalFile,
  remote: RemoteFile | undefined,
  hashes: HashCache,
): Promise<FileStatus> {
  if (remote === undefined) return "added";
  if (remote.lfs !== undefined) {
    if (remote.lfs.size !== file.size) return "changed";
    return (await hashes.oid(file, "sha256")) === remote.lfs.oid ? "unchanged" : "changed";
  }
  // No oid (a Xet-only entry without lfs metadata): nothing to compare with, so upload again.
  if (remote.oid === undefined || remote.size !== file.size) return "changed";
  return (await hashes.oid(file, "git-sha1")) === remote.oid ? "unchanged" : "changed";
}
