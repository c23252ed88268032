import { openAsBlob, statSync } from "node:fs";
import { createRepo, HubApiError, uploadFiles } from "@huggingface/hub";
import { hubFailure } from "./hubFailure.js";
import type { HubTarget } from "./HubTarget.js";
import type { LocalFile } from "./listDatasetFiles.js";
import type { PublishPlan } from "./planPublish.js";
import { PublishError } from "./PublishError.js";

export interface UploadOptions {
  /** Visibility of a repo this upload creates (an existing repo keeps its own). Default private. */
  readonly public?: boolean;
  /** The commit's time, for its title. */
  readonly now: Date;
}

export interface UploadResult {
  /** True when the repo did not exist and this upload created it. */
  readonly createdRepo: boolean;
  readonly files: number;
  readonly bytes: number;
  readonly commitOid: string | undefined;
  readonly commitUrl: string | undefined;
}

/**
 * Uploads the plan's added and changed files in one commit with the hub's own client, creating the
 * repo first when it does not exist. Contents are file-backed Blobs (fs.openAsBlob): the client
 * slices, hashes and PUTs them as streams, so a GB episode is never in memory; only the small files
 * the hub keeps in git travel base64 inside the commit. Xet is off (`useXet: false`): the client then
 * never takes the Xet CAS route (binary xorbs and shards) whatever the hub offers, and uses plain LFS,
 * which the hub still accepts and the tests' stand-in can check byte for byte.
 */
export async function uploadChanges(
  plan: PublishPlan,
  target: HubTarget,
  options: UploadOptions,
): Promise<UploadResult> {
  const files = [...plan.added, ...plan.changed].sort((a, b) => (a.path < b.path ? -1 : 1));
  const bytes = files.reduce((sum, file) => sum + file.size, 0);
  // Every file opened before the repo is created: a vanished file leaves the hub untouched.
  const opened = await Promise.all(files.map(openForUpload));
  const createdRepo = !plan.repoExists && (await createIfMissing(target, options.public ?? false));
  try {
    const output = await uploadFiles({
      repo: { type: "dataset", name: target.repo },
      hubUrl: target.hubUrl,
      branch: target.branch,
      accessToken: target.token,
      files: opened.map(({ path, content }) => ({ path, content })),
      commitTitle: commitTitle(plan, options.now),
      commitDescription: commitDescription(files),
      useXet: false,
      ...(plan.parentCommit === undefined ? {} : { parentCommit: plan.parentCommit }),
    });
    return {
      createdRepo,
      files: files.length,
      bytes,
      commitOid: output?.commit.oid,
      commitUrl: output?.commit.url,
    };
  } catch (error) {
    const moved = opened.filter((file) => !unchangedSince(file));
    if (moved.length > 0)
      throw new PublishError(
        "file_changed",
        `${moved.map((f) => f.path).join(", ")} changed during the upload; nothing was committed, run publish again`,
      );
    const failure = hubFailure(`uploading ${files.length} files to ${target.repo}`, error, target);
    // 412: the branch is no longer at the plan's parent commit; the hub committed nothing.
    if (failure.status === 412)
      throw new PublishError(
        "hub_moved",
        `${target.repo} (branch ${target.branch}) has a commit made since the plan; nothing was committed, ` +
          "run publish again to compare with it",
        412,
      );
    throw failure;
  }
}

/** Creates the dataset repo; true when it was created, false when someone created it meanwhile. */
async function createIfMissing(target: HubTarget, isPublic: boolean): Promise<boolean> {
  try {
    await createRepo({
      repo: { type: "dataset", name: target.repo },
      hubUrl: target.hubUrl,
      accessToken: target.token,
      visibility: isPublic ? "public" : "private",
    });
    return true;
  } catch (error) {
    // 409: it exists now (another publish, or a person on the hub); committing to it is what we want.
    if (error instanceof HubApiError && error.statusCode === 409) return false;
    throw hubFailure(`creating dataset ${target.repo}`, error, target);
  }
}

interface OpenedFile {
  readonly path: string;
  readonly absPath: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly content: Blob;
}

/** A file-backed Blob of `file`, and what it looked like when opened (to tell a file changed later). */
async function openForUpload(file: LocalFile): Promise<OpenedFile> {
  try {
    const { size, mtimeMs } = statSync(file.absPath);
    return { path: file.path, absPath: file.absPath, size, mtimeMs, content: await openAsBlob(file.absPath) };
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new PublishError(
      "file_changed",
      `${file.path} cannot be read since the plan (${why}); nothing was uploaded`,
    );
  }
}

function unchangedSince(file: OpenedFile): boolean {
  try {
    const stat = statSync(file.absPath);
    return stat.size === file.size && stat.mtimeMs === file.mtimeMs;
  } catch {
    return false;
  }
}

/** "rigwatch publish 2024-05-01 14:03 UTC: 3 added, 1 changed". */
export function commitTitle(plan: Pick<PublishPlan, "added" | "changed">, now: Date): string {
  const when = `${now.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  return `rigwatch publish ${when}: ${plan.added.length} added, ${plan.changed.length} changed`;
}

/** The sessions (data/<task>/<date>, processed/<mode>/<task>/<date>) the commit touches, one a line. */
function commitDescription(files: readonly LocalFile[]): string {
  const sessions = new Set<string>();
  for (const { path } of files) {
    const parts = path.split("/");
    if (parts[0] === "data" && parts.length > 3) sessions.add(parts.slice(1, 3).join("/"));
    if (parts[0] === "processed" && parts.length > 4) sessions.add(parts.slice(2, 4).join("/"));
  }
  const list = [...sessions].sort();
  return list.length === 0
    ? "Published with rigwatch."
    : `Published with rigwatch. Sessions:\n${list.map((s) => `- ${s}`).join("\n")}`;
}
