import { join } from "node:path";
import type { BadFramesReport } from "../../metadata/index.js";
import type { DatasetContents } from "../DatasetContents.js";
import { type PreflightItem, preflightItem } from "../PreflightReport.js";
import type { ReportRead } from "./readReport.js";

/**
 * Spec §8: bad_frames.json has every episode — and no other, since it describes the published files.
 * A detect run that covered only some sessions (its reports cover the episodes it was given, unless
 * it runs dataset-wide) or predates the last take leaves episodes out: the fix is one run over the
 * whole dataset.
 */
export function checkBadFramesComplete(
  dataset: DatasetContents,
  badFramesPath: string,
  badFrames: ReportRead<BadFramesReport>,
): PreflightItem {
  const problems = new Map<string, string>();
  if (!badFrames.ok) problems.set(dataset.rel(badFramesPath), badFrames.why);
  else {
    for (const episode of dataset.episodes)
      if (!badFrames.value.episodes.has(episode.key))
        problems.set(dataset.rel(episode.path), "not in bad_frames.json");
    const onDisk = new Set(dataset.episodes.map((e) => e.key));
    const extra = [...badFrames.value.episodes.keys()].filter((key) => !onDisk.has(key)).sort();
    if (extra.length > 0)
      problems.set(dataset.rel(badFramesPath), `lists episodes that are not in data/: ${extra.join(", ")}`);
  }
  return preflightItem(
    "bad_frames_complete",
    "bad_frames.json has every recording, and no other",
    problems,
    `run \`rigwatch detect ${join(dataset.root, "data")}\` so that the reports cover every recording`,
  );
}
