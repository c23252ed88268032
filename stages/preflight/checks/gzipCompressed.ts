import type { File as H5File } from "h5wasm/node";
import { AVAILABLE_FILTERS, loadH5 } from "../../../hw/h5/index.js";
import { readTree } from "../../compress/episodeTree.js";
import { isGzipped } from "../../compress/isGzipped.js";
import type { DatasetContents } from "../DatasetContents.js";
import { type PreflightItem, preflightItem } from "../PreflightReport.js";

/**
 * Every recording is GZIP, the form compress writes (DESIGN: portable, stock HDF5 readers open it
 * with no plugin). A BLOSC or LZF file still opens here, through h5wasm-plugins, but not in the
 * h5py of a dataset user without hdf5plugin; an unfiltered one means compress never ran. Only the
 * filter pipelines are read, not the data.
 */
export async function checkGzipCompressed(dataset: DatasetContents): Promise<PreflightItem> {
  const problems = new Map<string, string>();
  const h5 = dataset.episodes.length > 0 ? await loadH5() : undefined;
  for (const episode of dataset.episodes) {
    let file: H5File | undefined;
    try {
      file = new (h5 as NonNullable<typeof h5>).File(episode.path, "r");
      const tree = readTree(file);
      if (!isGzipped(tree)) {
        const plugins = [...new Set(tree.datasets.flatMap((d) => d.filters.map((f) => f.id)))]
          .filter((id) => id > 6)
          .sort((a, b) => a - b)
          .map((id) => `${AVAILABLE_FILTERS.get(id) ?? "unknown"} (${id})`);
        problems.set(
          dataset.rel(episode.path),
          plugins.length > 0 ? `needs the HDF5 plugin filter ${plugins.join(", ")}` : "not compressed",
        );
      }
    } catch (error) {
      problems.set(dataset.rel(episode.path), `cannot be opened (${(error as Error).message})`);
    } finally {
      try {
        file?.close();
      } catch {
        // Opened read-only: nothing to flush.
      }
    }
  }
  return preflightItem(
    "gzip_compressed",
    "every recording is GZIP-compressed (opens in any HDF5 reader without plugins)",
    problems,
    "run `rigwatch compress <date-dir>` (or `rigwatch process <date-dir>`), then index again",
  );
}
