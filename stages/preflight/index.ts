/** The pre-publish checklist (spec §8): `runPreflight` is what publish gates on. */
export { type DatasetContents, type DatasetEpisode, datasetContents } from "./DatasetContents.js";
export type { PreflightItem, PreflightReport } from "./PreflightReport.js";
export { type PreflightOptions, runPreflight } from "./runPreflight.js";
