/** The contact index stage (spec §4): `.pt` + `.contact.json` per episode. */
export { alignedPoses } from "./alignedPoses.js";
export { CONTACT_FORMULA_VERSION, contactMeta } from "./contactMeta.js";
export { contactSidecar, type MetricSummary, summarise } from "./contactSidecar.js";
export { type IndexedEpisode, type IndexOptions, indexEpisode, indexEvidence } from "./indexEpisode.js";
export { removeStaleTemps } from "./removeStaleTemps.js";
export { type IndexRun, type IndexRunOptions, runIndex } from "./runIndex.js";
