import { contactIndexFiles, processedDir } from "../../dataset/index.js";
import type { DatasetContents } from "../DatasetContents.js";
import { type PreflightItem, preflightItem } from "../PreflightReport.js";
import { staleness } from "./newerThanRecording.js";

/**
 * Beside each `.pt` its `episode_NNN.contact.json` (spec §4), current too. Index writes the `.pt`
 * first and the sidecar after it, so a run killed in between leaves a current `.pt` and no sidecar.
 */
export function checkContactSidecars(dataset: DatasetContents): PreflightItem {
  const problems = new Map<string, string>();
  for (const episode of dataset.episodes) {
    const { sidecar } = contactIndexFiles(episode.path, processedDir(episode.path, { mode: dataset.mode }));
    const why = staleness(sidecar, episode.path);
    if (why !== undefined) problems.set(dataset.rel(sidecar), why);
  }
  return preflightItem(
    "contact_sidecars",
    "every .pt has its .contact.json summary, newer than the recording",
    problems,
    "run `rigwatch index <date-dir>` for those sessions",
  );
}
