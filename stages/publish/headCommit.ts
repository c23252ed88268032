import { datasetInfo } from "@huggingface/hub";
import { hubFailure } from "./hubFailure.js";
import type { HubTarget } from "./HubTarget.js";

/**
 * The commit the target branch points at, or undefined when the repo (or branch) is not there: what
 * the plan was made against. Read before the tree, so a commit landing between the two reads makes
 * the upload refuse (a spurious refusal at worst), never slip through.
 */
export async function headCommit(target: HubTarget): Promise<string | undefined> {
  try {
    const info = await datasetInfo({
      name: target.repo,
      revision: target.branch,
      hubUrl: target.hubUrl,
      accessToken: target.token,
      additionalFields: ["sha"],
    });
    return info.sha;
  } catch (error) {
    const failure = hubFailure(`reading the head of ${target.repo} (branch ${target.branch})`, error, target);
    if (failure.status === 404) return undefined;
    throw failure;
  }
}
