export { ExportError } from "./ExportError.js";
export { type ExportOptions, type ExportResult, exportEpisode } from "./exportEpisode.js";
export { cameraFrame, exportTopics, gelFrame, MOCAP_FRAME } from "./exportTopics.js";
export { ReportFindings } from "./ReportFindings.js";
