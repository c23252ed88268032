import type { File as H5File } from "h5wasm/node";
import { h5Module, type H5Module } from "../../hw/h5/runtime.js";
import type { DatasetPlan } from "./datasetPlan.js";

/** An open file of one h5wasm instance: the copy's (this thread's runtime) or the verifier's own. */
export interface OpenFile {
  readonly module: H5Module;
  readonly id: bigint;
}

/** A file opened through this thread's runtime (h5wasm's high-level File). */
export const openFileOf = (file: H5File): OpenFile => ({ module: h5Module(), id: file.file_id });

/** The hyperslab of rows [start, start + rows) over the whole of every other axis. */
function hyperslab(plan: DatasetPlan, start: number, rows: number) {
  const rest = plan.shape.slice(1).map(BigInt);
  return {
    count: [BigInt(rows), ...rest],
    offset: [BigInt(start), ...rest.map(() => 0n)],
    strides: plan.shape.map(() => 1n),
  };
}

/** Reads rows [start, start + rows) of a dataset into the instance's heap at `pointer`, in the dataset's own dtype. */
export function readSlab(
  file: OpenFile,
  plan: DatasetPlan,
  start: number,
  rows: number,
  pointer: number,
): void {
  const { count, offset, strides } = hyperslab(plan, start, rows);
  file.module.get_dataset_data(file.id, plan.path, count, offset, strides, BigInt(pointer));
}

/** Writes rows [start, start + rows) of a dataset from the instance's heap at `pointer`. */
export function writeSlab(
  file: OpenFile,
  plan: DatasetPlan,
  start: number,
  rows: number,
  pointer: number,
): void {
  const { count, offset, strides } = hyperslab(plan, start, rows);
  file.module.set_dataset_data(file.id, plan.path, count, offset, strides, BigInt(pointer));
}

/** Reads a whole dataset (a scalar or a small contiguous one) into the instance's heap at `pointer`. */
export function readWhole(file: OpenFile, plan: DatasetPlan, pointer: number): void {
  file.module.get_dataset_data(file.id, plan.path, null, null, null, BigInt(pointer));
}
