import { resolve } from "node:path";
import { DEFAULT_PROCESSED_MODE } from "../dataset/index.js";
import { readBadFrames } from "../metadata/index.js";
import { checkBadFramesComplete } from "./checks/badFramesComplete.js";
import { checkBreakdownTotals } from "./checks/breakdownTotals.js";
import { checkContactSidecars } from "./checks/contactSidecars.js";
import { checkFiguresPresent } from "./checks/figuresPresent.js";
import { checkGzipCompressed } from "./checks/gzipCompressed.js";
import { checkHasEpisodes } from "./checks/hasEpisodes.js";
import { checkPreviewsPresent } from "./checks/previewsPresent.js";
import { checkPtCurrent } from "./checks/ptCurrent.js";
import { readReport } from "./checks/readReport.js";
import { reportPath } from "./checks/reportPath.js";
import { checkReportsPresent } from "./checks/reportsPresent.js";
import { checkTasksMetadata } from "./checks/tasksMetadata.js";
import { datasetContents } from "./DatasetContents.js";
import type { PreflightReport } from "./PreflightReport.js";
import { readBreakdown } from "./readBreakdown.js";

export interface PreflightOptions {
  /** `<mode>` of `processed/<mode>/…` (default "contact"). */
  readonly mode?: string;
}

/**
 * The pre-publish checklist (spec §8, then rigwatch's own items) over a dataset root, the folder
 * holding `data/`. Only reads: every item runs, whatever the others found, so one run lists
 * everything to fix. Problems with the dataset are failed items, never exceptions.
 */
export async function runPreflight(
  datasetRoot: string,
  options: PreflightOptions = {},
): Promise<PreflightReport> {
  const root = resolve(datasetRoot);
  const dataset = datasetContents(root, options.mode ?? DEFAULT_PROCESSED_MODE);
  const paths = { badFrames: reportPath(root, "badFrames"), breakdown: reportPath(root, "breakdown") };
  const badFrames = readReport(paths.badFrames, readBadFrames);
  const breakdown = readReport(paths.breakdown, readBreakdown);
  const items = [
    checkHasEpisodes(dataset),
    checkPtCurrent(dataset),
    checkTasksMetadata(dataset),
    checkBadFramesComplete(dataset, paths.badFrames, badFrames),
    checkPreviewsPresent(dataset),
    checkBreakdownTotals(dataset, paths, badFrames, breakdown),
    await checkGzipCompressed(dataset),
    checkContactSidecars(dataset),
    checkReportsPresent(dataset),
    checkFiguresPresent(dataset),
  ];
  return { root, ok: items.every((item) => item.ok), items };
}
