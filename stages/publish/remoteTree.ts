import { listFiles, repoExists } from "@huggingface/hub";
import { hubCall, hubFailure } from "./hubFailure.js";
import type { HubTarget } from "./HubTarget.js";
import { PublishError } from "./PublishError.js";

/** A file in the hub repo's tree, as far as comparing contents goes. */
export interface RemoteFile {
  readonly path: string;
  readonly size: number;
  /** Git blob sha1 (of the LFS pointer, for LFS files). */
  readonly oid: string | undefined;
  /** Set for LFS (and Xet-backed) files: the sha256 of the content and its size. */
  readonly lfs: { readonly oid: string; readonly size: number } | undefined;
}

/**
 * Every file of the target branch (recursive tree listing, pages followed by the client), or
 * undefined when the repo does not exist yet. A 404 on the tree of a repo that does exist means the
 * branch is missing, which a publish does not create.
 */
export async function remoteTree(target: HubTarget): Promise<Map<string, RemoteFile> | undefined> {
  const files = new Map<string, RemoteFile>();
  try {
    for await (const entry of listFiles({
      repo: { type: "dataset", name: target.repo },
      recursive: true,
      revision: target.branch,
      hubUrl: target.hubUrl,
      accessToken: target.token,
    })) {
      if (entry.type !== "file") continue;
      files.set(entry.path, {
        path: entry.path,
        size: entry.size,
        oid: entry.oid,
        lfs: entry.lfs === undefined ? undefined : { oid: entry.lfs.oid, size: entry.lfs.size },
      });
    }
  } catch (error) {
    const failure = hubFailure(`listing ${target.repo} (branch ${target.branch})`, error, target);
    if (failure.status !== 404) throw failure;
    const exists = await hubCall(`looking up ${target.repo}`, target, () =>
      repoExists({
        repo: { type: "dataset", name: target.repo },
        hubUrl: target.hubUrl,
        accessToken: target.token,
      }),
    );
    if (!exists) return undefined;
    throw new PublishError(
      "no_branch",
      `branch ${target.branch} does not exist in dataset ${target.repo}; create it on the hub first`,
      404,
    );
  }
  return files;
}
