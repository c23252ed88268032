import { existsSync } from "node:fs";
import { join } from "node:path";
import { reportsDir } from "../../dataset/index.js";
import { FIGURE_FILES } from "../../detect/figures/index.js";
import type { DatasetContents } from "../DatasetContents.js";
import { type PreflightItem, preflightItem } from "../PreflightReport.js";

/**
 * detect's figures are published beside its reports: the quality breakdown and one timeline per
 * recording. detect draws them in the same run as the reports, so a dataset whose reports pass
 * bad_frames_complete and has every figure has figures of those reports.
 */
export function checkFiguresPresent(dataset: DatasetContents): PreflightItem {
  const problems = new Map<string, string>();
  const figure = (name: string) => {
    const path = join(reportsDir(dataset.root), name);
    if (!existsSync(path)) problems.set(dataset.rel(path), "missing");
  };
  figure(FIGURE_FILES.breakdown);
  for (const episode of dataset.episodes) figure(FIGURE_FILES.timeline(episode.key));
  return preflightItem(
    "figures_present",
    "detect's figures are there (figures/dataset_figures/quality_breakdown.png, a timeline per recording)",
    problems,
    "run `rigwatch detect` once over the whole dataset",
  );
}
