export { type EpisodeMetadata, EpisodeReader } from "./EpisodeReader.js";
export type { OtStream } from "./OtStream.js";
export { requireCameraTimes } from "./cameraTimes.js";
export { EpisodeError, type EpisodeErrorCode, isContentFault } from "./errors.js";
export * from "./layout.js";
export { poseSampleAt, poseSamples } from "./otSamples.js";
export { type ReplayOptions, replayEpisode } from "./replay.js";
export { OT_OUTSIDE_TAKE_S } from "./plausibleOtSamples.js";
export { AVAILABLE_FILTERS, loadH5 } from "./runtime.js";
