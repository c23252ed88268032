import type { File as H5File } from "h5wasm/node";
import { h5Module } from "../../hw/h5/runtime.js";
import { type DatasetPlan, slabs } from "./datasetPlan.js";
import { fromSource } from "./fromSource.js";
import { readSlab, readWhole } from "./slabIo.js";
import type { WasmBuffer } from "./WasmBuffer.js";

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Why the copy of one dataset's layout differs from what was planned, or undefined. */
function layoutMismatch(dst: H5File, plan: DatasetPlan, level: number): string | undefined {
  const module = h5Module();
  const got = module.get_dataset_metadata(dst.file_id, plan.path);
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
  const filters = module.get_dataset_filters(dst.file_id, plan.path).map((f) => [f.id, f.cd_values[0]]);
  const expected = plan.chunks === null ? [] : [[1, level]];
  if (!same(filters, expected))
    return `filters ${JSON.stringify(filters)}, expected ${JSON.stringify(expected)}`;
  return undefined;
}

/**
 * Why the copy of one dataset differs from the source, or undefined when it is bit-exact: layout
 * first, then every slab read back from both files (through both filters) and compared byte for byte.
 */
export function datasetMismatch(
  src: H5File,
  dst: H5File,
  plan: DatasetPlan,
  level: number,
  a: WasmBuffer,
  b: WasmBuffer,
): string | undefined {
  const layout = layoutMismatch(dst, plan, level);
  if (layout !== undefined) return layout;
  if (plan.chunks === null) {
    const bytes = plan.rowBytes * (plan.shape.length === 0 ? 1 : (plan.shape[0] as number));
    fromSource(plan.path, () => readWhole(src, plan, a.reserve(bytes)));
    readWhole(dst, plan, b.reserve(bytes));
    return Buffer.compare(a.view(bytes), b.view(bytes)) === 0 ? undefined : "values differ";
  }
  const bytes = plan.slabRows * plan.rowBytes;
  const pa = a.reserve(bytes);
  const pb = b.reserve(bytes);
  for (const [start, rows] of slabs(plan)) {
    fromSource(`${plan.path} rows ${start}..${start + rows - 1}`, () => readSlab(src, plan, start, rows, pa));
    readSlab(dst, plan, start, rows, pb);
    const n = rows * plan.rowBytes;
    if (Buffer.compare(a.view(n), b.view(n)) !== 0) {
      return `rows ${start}..${start + rows - 1} differ from the source`;
    }
  }
  return undefined;
}
