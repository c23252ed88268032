import type { File as H5File } from "h5wasm/node";
import type { H5 } from "../../hw/h5/runtime.js";
import { copyAttributes } from "./attributes.js";
import { copyDataset } from "./copyDataset.js";
import type { DatasetPlan } from "./datasetPlan.js";
import type { EpisodeTree } from "./episodeTree.js";
import type { CompressProgress } from "./progress.js";
import { h5Module } from "../../hw/h5/runtime.js";
import { WasmBuffer } from "./WasmBuffer.js";
import { placeable, placeChunks } from "./placeChunks.js";

/** Where a copy failed, so the error can name the dataset. */
export class CopyFailure extends Error {
  constructor(
    readonly dataset: string | undefined,
    /** The failure came from closing the file (HDF5 flushing its caches). */
    readonly closing: boolean,
    override readonly cause: unknown,
  ) {
    super(`copy failed${dataset === undefined ? "" : ` at ${dataset}`}`);
  }
}

/**
 * Writes the whole tree of `src` into a new file at `tempPath` (which must not exist): groups, then
 * datasets one by one, with every attribute, through h5wasm; the chunks of the datasets placeChunks
 * can store (every recorder stream) are deflated natively and stored after h5wasm closed the file.
 * On failure the file is left for the caller to discard.
 */
export async function writeCopy(
  h5: H5,
  src: H5File,
  tree: EpisodeTree,
  plans: readonly DatasetPlan[],
  tempPath: string,
  level: number,
  onProgress: (event: CompressProgress) => void,
): Promise<void> {
  const buffer = new WasmBuffer();
  let dst: H5File | undefined;
  let current: string | undefined;
  let closing = false;
  try {
    dst = new h5.File(tempPath, "x");
    for (const group of tree.groups) {
      current = group;
      if (group !== "/") h5Module().create_group(dst.file_id, group, false);
      copyAttributes(src, dst, group, buffer);
    }
    const copied = (plan: DatasetPlan) =>
      onProgress({ step: "copied", dataset: plan.path, index: plans.indexOf(plan), total: plans.length });
    for (const plan of plans) {
      current = plan.path;
      const later = placeable(plan);
      copyDataset(src, dst, plan, level, buffer, later);
      copyAttributes(src, dst, plan.path, buffer);
      if (!later) copied(plan);
    }
    current = undefined;
    closing = true;
    // Closing flushes HDF5's metadata and chunk caches: a full disk may surface only here.
    const file = dst;
    dst = undefined;
    file.close();
    closing = false;
    await placeChunks({
      src,
      tempPath,
      plans: plans.filter(placeable),
      level,
      buffer,
      onStart: (plan) => (current = plan.path),
      onDataset: copied,
    });
    current = undefined;
  } catch (error) {
    throw new CopyFailure(current, closing, error);
  } finally {
    buffer.free();
    try {
      dst?.close();
    } catch {
      // The copy already failed; the caller discards the file.
    }
  }
}
