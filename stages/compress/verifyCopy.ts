import type { File as H5File } from "h5wasm/node";
import type { H5 } from "../../hw/h5/runtime.js";
import { attributeMismatch } from "./attributes.js";
import { datasetMismatch } from "./datasetMismatch.js";
import type { DatasetPlan } from "./datasetPlan.js";
import { type EpisodeTree, readTree } from "./episodeTree.js";
import type { CompressProgress } from "./progress.js";
import { WasmBuffer } from "./WasmBuffer.js";

/** A difference between the copy and its source: `dataset` names the object (undefined: the tree). */
export interface Mismatch {
  readonly dataset: string | undefined;
  readonly detail: string;
}

/**
 * Compares the closed copy with its source: the same groups and datasets, every attribute equal,
 * every dataset's layout as planned and its data bit-exact. Returns the first difference found.
 */
export function verifyCopy(
  h5: H5,
  src: H5File,
  tree: EpisodeTree,
  plans: readonly DatasetPlan[],
  tempPath: string,
  level: number,
  onProgress: (event: CompressProgress) => void,
): Mismatch | undefined {
  const dst = new h5.File(tempPath, "r");
  const a = new WasmBuffer();
  const b = new WasmBuffer();
  try {
    const copied = readTree(dst);
    const names = (t: EpisodeTree) => [...t.groups, ...t.datasets.map((d) => d.path)].join("\n");
    if (names(copied) !== names(tree))
      return { dataset: undefined, detail: "the copy has other groups or datasets" };
    for (const group of tree.groups) {
      const detail = attributeMismatch(src, dst, group, a, b);
      if (detail !== undefined) return { dataset: group, detail };
    }
    for (const [index, plan] of plans.entries()) {
      const detail =
        datasetMismatch(src, dst, plan, level, a, b) ?? attributeMismatch(src, dst, plan.path, a, b);
      if (detail !== undefined) return { dataset: plan.path, detail };
      onProgress({ step: "verified", dataset: plan.path, index, total: plans.length });
    }
    return undefined;
  } finally {
    a.free();
    b.free();
    dst.close();
  }
}
