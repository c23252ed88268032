export { CompressError, type CompressErrorCode, type CompressStep } from "./CompressError.js";
export {
  type CompressOptions,
  type CompressResult,
  compressEpisode,
  DEFAULT_GZIP_LEVEL,
} from "./compressEpisode.js";
export type { CompressProgress } from "./progress.js";
export { tempPathFor } from "./tempFile.js";
