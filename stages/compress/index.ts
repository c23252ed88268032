export { CompressError, type CompressErrorCode, type CompressStep } from "./CompressError.js";
export {
  type CompressOptions,
  type CompressResult,
  compressEpisode,
  DEFAULT_GZIP_LEVEL,
} from "./compressEpisode.js";
export type { CompressProgress } from "./progress.js";
export { placeVerifiedCopy } from "./placeVerifiedCopy.js";
export {
  type CompressAttempt,
  type CompressTemp,
  compressTemps,
  deadOnThisHost,
  legacyTempPathFor,
  newAttempt,
  removeDeadTemps,
  tempPathFor,
  thisHost,
} from "./tempFile.js";
