export { badFrameCount, badFramesReport, thresholdsOf } from "./badFrames.js";
export { breakdownReport, MODES, modeFrames } from "./breakdown.js";
export * from "./EpisodeResult.js";
export { reportJson, round } from "./format.js";
export { qualityCsv, type UnreadableEpisode } from "./qualityCsv.js";
export { ReportFileError } from "./ReportFileError.js";
