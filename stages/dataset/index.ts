export * from "./datasetLayout.js";
export {
  EpisodePathError,
  type EpisodeScan,
  findEpisodes,
  scanEpisodes,
  type SkippedPath,
  type SkipReason,
} from "./findEpisodes.js";
export {
  type CuratedEpisode,
  curatedEpisode,
  type RefusalReason,
  resolveDataRoots,
} from "./curatedEpisode.js";
