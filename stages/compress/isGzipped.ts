import type { EpisodeTree } from "./episodeTree.js";

/** HDF5's built-in filters: deflate, shuffle, fletcher32, szip, nbit, scaleoffset. Any reader has them. */
const BUILT_IN_FILTERS = new Set([1, 2, 3, 4, 5, 6]);
const DEFLATE = 1;

/**
 * The file is already in its portable, compressed form: something is deflated and nothing needs a
 * plugin. That is what this stage writes and what h5repack's SHUF+GZIP writes (which leaves the small
 * OT tables unfiltered); recompressing it would only cost time. A file with no filter at all is not.
 */
export function isGzipped(tree: EpisodeTree): boolean {
  const filters = tree.datasets.flatMap((d) => d.filters.map((f) => f.id));
  return filters.includes(DEFLATE) && filters.every((id) => BUILT_IN_FILTERS.has(id));
}
