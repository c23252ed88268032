export { type EpisodeMetadata, EpisodeReader, type OtStream } from "./EpisodeReader.js";
export { EpisodeError, type EpisodeErrorCode } from "./errors.js";
export * from "./layout.js";
export { poseSampleAt, poseSamples } from "./otSamples.js";
export { type ReplayOptions, replayEpisode } from "./replay.js";
export { AVAILABLE_FILTERS, loadH5 } from "./runtime.js";
