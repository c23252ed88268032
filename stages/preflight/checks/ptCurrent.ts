import { contactIndexFiles, processedDir } from "../../dataset/index.js";
import type { DatasetContents } from "../DatasetContents.js";
import { type PreflightItem, preflightItem } from "../PreflightReport.js";
import { staleness } from "./newerThanRecording.js";

/** Spec §8: every `episode_*.h5` has a `.pt` newer than it (`processed/<mode>/<task>/<date>/`). */
export function checkPtCurrent(dataset: DatasetContents): PreflightItem {
  const problems = new Map<string, string>();
  for (const episode of dataset.episodes) {
    const { pt } = contactIndexFiles(episode.path, processedDir(episode.path, { mode: dataset.mode }));
    const why = staleness(pt, episode.path);
    if (why !== undefined) problems.set(dataset.rel(pt), why);
  }
  return preflightItem(
    "pt_current",
    `every recording has a .pt newer than it (processed/${dataset.mode}/<task>/<date>/episode_NNN.pt)`,
    problems,
    "run `rigwatch index <date-dir>` (or `rigwatch process <date-dir>`) for those sessions",
  );
}
