export * from "./datasetLayout.js";
export { EpisodePathError, findEpisodes } from "./findEpisodes.js";
