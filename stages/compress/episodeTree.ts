import type { File as H5File, Filter, Metadata } from "h5wasm/node";
import { h5Module } from "../../hw/h5/runtime.js";

/** One dataset of a file, as its metadata and filter pipeline describe it. */
export interface DatasetEntry {
  /** Absolute path, `/realsense/cam0/color`. */
  readonly path: string;
  readonly metadata: Metadata;
  readonly filters: readonly Filter[];
}

/** Every object of a file: groups parents first (`/` included), then datasets. */
export interface EpisodeTree {
  readonly groups: readonly string[];
  readonly datasets: readonly DatasetEntry[];
}

/** Anything that is neither a group nor a dataset (a soft or external link, a named datatype). */
export class UnsupportedObjectError extends Error {
  constructor(readonly path: string) {
    super(`${path} is a link or a named datatype, which h5wasm cannot recreate faithfully`);
  }
}

/** Lists a file's objects in HDF5's visit order, which names every group before its members. */
export function readTree(file: H5File): EpisodeTree {
  const module = h5Module();
  const groups = ["/"];
  const datasets: DatasetEntry[] = [];
  for (const name of module.get_names(file.file_id, "/", true)) {
    const path = `/${name}`;
    const type = module.get_type(file.file_id, path);
    if (type === module.H5G_GROUP) groups.push(path);
    else if (type === module.H5G_DATASET) {
      datasets.push({
        path,
        metadata: module.get_dataset_metadata(file.file_id, path),
        filters: module.get_dataset_filters(file.file_id, path),
      });
    } else throw new UnsupportedObjectError(path);
  }
  return { groups, datasets };
}
