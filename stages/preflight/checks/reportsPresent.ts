import { existsSync } from "node:fs";
import { REPORT_FILES } from "../../detect/runDetect.js";
import type { DatasetContents } from "../DatasetContents.js";
import { type PreflightItem, preflightItem } from "../PreflightReport.js";
import { reportPath } from "./reportPath.js";

/**
 * The four reports of spec §5 are there. bad_frames.json and the breakdown are checked in depth
 * above; freeze_intervals.json (with people's verdicts) and the CSV are published beside them.
 */
export function checkReportsPresent(dataset: DatasetContents): PreflightItem {
  const problems = new Map<string, string>();
  for (const name of Object.keys(REPORT_FILES) as (keyof typeof REPORT_FILES)[]) {
    const path = reportPath(dataset.root, name);
    if (!existsSync(path)) problems.set(dataset.rel(path), "missing");
  }
  return preflightItem(
    "reports_present",
    "the four reports of figures/dataset_figures/ are there",
    problems,
    "run `rigwatch detect` once over the whole dataset",
  );
}
