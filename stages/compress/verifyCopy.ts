import type { File as H5File } from "h5wasm/node";
import type { H5 } from "../../hw/h5/runtime.js";
import { attributeMismatch } from "./attributes.js";
import { datasetMismatch } from "./datasetMismatch.js";
import type { DatasetPlan } from "./datasetPlan.js";
import { type EpisodeTree, readTree } from "./episodeTree.js";
import type { CompressProgress } from "./progress.js";
import { fromSource } from "./fromSource.js";
import { openFileOf } from "./slabIo.js";
import { loadVerifierH5 } from "./verifierH5.js";
import { WasmBuffer } from "./WasmBuffer.js";

/** A difference between the copy and its source: `dataset` names the object (undefined: the tree). */
export interface Mismatch {
  readonly dataset: string | undefined;
  /** `corrupt`: the source decodes differently on each read (a damaged chunk), not a bad copy. */
  readonly kind: "copy" | "corrupt";
  readonly detail: string;
}

/**
 * Compares the closed copy with its source: the same groups and datasets, every attribute equal,
 * every dataset's layout as planned and its data bit-exact against a decode of the source made by a
 * second HDF5 instance that shares nothing with the pass that wrote the copy. Returns the first
 * difference found.
 */
export async function verifyCopy(
  h5: H5,
  src: H5File,
  tree: EpisodeTree,
  plans: readonly DatasetPlan[],
  tempPath: string,
  level: number,
  onProgress: (event: CompressProgress) => void,
): Promise<Mismatch | undefined> {
  const verifier = await loadVerifierH5();
  const dst = new h5.File(tempPath, "r");
  const sourceId = fromSource("/", src.filename, () =>
    verifier.open(src.filename, verifier.H5F_ACC_RDONLY, false),
  );
  const a = new WasmBuffer();
  const b = new WasmBuffer();
  try {
    const copied = readTree(dst);
    const names = (t: EpisodeTree) => [...t.groups, ...t.datasets.map((d) => d.path)].join("\n");
    if (names(copied) !== names(tree))
      return { dataset: undefined, kind: "copy", detail: "the copy has other groups or datasets" };
    for (const group of tree.groups) {
      const detail = attributeMismatch(src, dst, group, a, b);
      if (detail !== undefined) return { dataset: group, kind: "copy", detail };
    }
    const files = {
      source: { module: verifier, id: sourceId },
      copySource: openFileOf(src),
      copy: openFileOf(dst),
    };
    for (const [index, plan] of plans.entries()) {
      const data = datasetMismatch(files, plan, level);
      if (data !== undefined) return { dataset: plan.path, ...data };
      const detail = attributeMismatch(src, dst, plan.path, a, b);
      if (detail !== undefined) return { dataset: plan.path, kind: "copy", detail };
      onProgress({ step: "verified", dataset: plan.path, index, total: plans.length });
    }
    return undefined;
  } finally {
    a.free();
    b.free();
    dst.close();
    try {
      verifier.close_file(sourceId);
    } catch {
      // After an abort the verifier is discarded whole.
    }
  }
}
