export { EpisodeError, type EpisodeErrorCode } from "./errors.js";
export { type EpisodeMetadata, EpisodeReader, type OtStream } from "./EpisodeReader.js";
export * from "./layout.js";
export { AVAILABLE_FILTERS, loadH5 } from "./runtime.js";
export { poseSamplesOf } from "./otSamples.js";
