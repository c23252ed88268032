import { type DatasetPlan, slabs } from "./datasetPlan.js";
import { COPY_POISON, decodeSlab, VERIFY_POISON } from "./decodeSlab.js";
import { fromSource, rowsLabel } from "./fromSource.js";
import { type OpenFile, readSlab, readWhole } from "./slabIo.js";
import { WasmBuffer } from "./WasmBuffer.js";

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** How the copy of one dataset differs from its source. */
export type DatasetMismatch =
  /** The copy is wrong (its layout, or bytes that differ from a source that decodes the same twice). */
  | { readonly kind: "copy"; readonly detail: string }
  /** The source itself decodes to different bytes each time: a damaged chunk. */
  | { readonly kind: "corrupt"; readonly rows: string; readonly detail: string };

/** The files one dataset is verified with. */
export interface VerifyFiles {
  /** The source, opened in the verifier's own HDF5 (loadVerifierH5). */
  readonly source: OpenFile;
  /** The source as the copy pass read it (this thread's runtime), to tell a damaged chunk from a bad copy. */
  readonly copySource: OpenFile;
  /** The closed and reopened copy. */
  readonly copy: OpenFile;
}

/** Why the copy of one dataset's layout differs from what was planned, or undefined. */
function layoutMismatch(copy: OpenFile, plan: DatasetPlan, level: number): string | undefined {
  const got = copy.module.get_dataset_metadata(copy.id, plan.path);
  const want = plan.metadata;
  for (const key of ["type", "size", "signed", "vlen", "littleEndian"] as const) {
    if (got[key] !== want[key]) return `${key} ${got[key]}, expected ${want[key]}`;
  }
  if (!same(got.shape, want.shape))
    return `shape ${JSON.stringify(got.shape)}, expected ${JSON.stringify(want.shape)}`;
  if (!same(got.maxshape, want.maxshape))
    return `maxshape ${JSON.stringify(got.maxshape)}, expected ${JSON.stringify(want.maxshape)}`;
  if (!same(got.chunks, plan.chunks))
    return `chunks ${JSON.stringify(got.chunks)}, expected ${JSON.stringify(plan.chunks)}`;
  const filters = copy.module.get_dataset_filters(copy.id, plan.path).map((f) => [f.id, f.cd_values[0]]);
  const expected = plan.chunks === null ? [] : [[1, level]];
  if (!same(filters, expected))
    return `filters ${JSON.stringify(filters)}, expected ${JSON.stringify(expected)}`;
  return undefined;
}

/**
 * Why the copy of one dataset differs from the source, or undefined when it is bit-exact: layout
 * first, then every row of chunks decoded again from the source by the verifier's own HDF5 and
 * compared byte for byte with the copy as HDF5 reads it back. Where they differ, the source is decoded
 * once more the way the copy pass did: if the two decodes of the source disagree, the chunk is damaged
 * (`corrupt`), otherwise the copy is wrong.
 */
export function datasetMismatch(
  files: VerifyFiles,
  plan: DatasetPlan,
  level: number,
): DatasetMismatch | undefined {
  const layout = layoutMismatch(files.copy, plan, level);
  if (layout !== undefined) return { kind: "copy", detail: layout };
  const verified = new WasmBuffer({ module: files.source.module });
  const copied = new WasmBuffer({ module: files.copy.module });
  try {
    const bytes = plan.slabRows * plan.rowBytes;
    const pv = verified.reserve(bytes);
    const pc = copied.reserve(bytes);
    const parts = plan.chunks === null ? [[0, plan.slabRows] as const] : slabs(plan);
    for (const [start, rows] of parts) {
      const where = plan.chunks === null ? plan.path : rowsLabel(start, rows);
      fromSource(plan.path, where, () => decodeSlab(files.source, plan, start, rows, pv, VERIFY_POISON));
      if (plan.chunks === null) readWhole(files.copy, plan, pc);
      else readSlab(files.copy, plan, start, rows, pc);
      const n = rows * plan.rowBytes;
      if (Buffer.compare(verified.view(n), copied.view(n)) === 0) continue;
      // The copy buffer is free again: decode the source into it as the copy pass did.
      fromSource(plan.path, where, () => decodeSlab(files.copySource, plan, start, rows, pc, COPY_POISON));
      if (Buffer.compare(verified.view(n), copied.view(n)) !== 0) {
        return { kind: "corrupt", rows: where, detail: `${where} decode to different bytes on each read` };
      }
      return { kind: "copy", detail: `${where} differ from the source` };
    }
    return undefined;
  } finally {
    verified.free();
    copied.free();
  }
}
