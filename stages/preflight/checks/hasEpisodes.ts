import { existsSync } from "node:fs";
import { join } from "node:path";
import type { DatasetContents } from "../DatasetContents.js";
import { type PreflightItem, preflightItem } from "../PreflightReport.js";

/** Every other item passes on an empty dataset; publishing one is still a mistake. */
export function checkHasEpisodes(dataset: DatasetContents): PreflightItem {
  const problems = new Map<string, string>();
  if (dataset.episodes.length === 0)
    problems.set(
      "data",
      existsSync(join(dataset.root, "data")) ? "no data/<task>/<date>/episode_NNN.h5" : "no data/ folder",
    );
  return preflightItem(
    "has_episodes",
    "the dataset has recordings (data/<task>/<date>/episode_NNN.h5)",
    problems,
    "point preflight at the dataset root, the folder that holds data/",
  );
}
