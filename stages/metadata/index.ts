/** The metadata stage: tasks.json brought up to date from detect's reports, formatting kept. */
export { describeJson } from "./describeJson.js";
export { isJsonObject, type JsonObject, type JsonValue } from "./Json.js";
export { insertJsonArrayItem, setJsonValue } from "./jsonTextEdit.js";
export { type SessionPlan, planSessionChanges } from "./planSessionChanges.js";
export { type BadFramesEpisode, type BadFramesReport, readBadFrames } from "./readBadFrames.js";
export { readJsonFile } from "./readJsonFile.js";
export { type QualityRow, readQualityCsv } from "./readQualityCsv.js";
export { readSessionFacts } from "./readSessionFacts.js";
export { type MetadataRun, runMetadata, type SessionUpdate } from "./runMetadata.js";
export { detectedActiveSensors, episodeCount, type EpisodeFacts, type SessionFacts } from "./SessionFacts.js";
export { sessionEntryProblems } from "./sessionEntryProblems.js";
export { type SessionFiles, sessionFiles } from "./sessionFiles.js";
export { sessionKind } from "./sessionKind.js";
export { sessionNote } from "./sessionNote.js";
export { type SessionTarget, type SessionTargetOptions, sessionTarget } from "./SessionTarget.js";
export { applyToText, applyToValue, type TasksChange } from "./TasksChange.js";
export { readTasksFile, type TasksFile } from "./tasksFile.js";
export { detectTextStyle, NEW_FILE_STYLE, type TextStyle } from "./textStyle.js";
