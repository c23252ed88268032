import type { File as H5File } from "h5wasm/node";
import { h5Module } from "../../hw/h5/runtime.js";
import type { DatasetPlan } from "./datasetPlan.js";

/** The hyperslab of rows [start, start + rows) over the whole of every other axis. */
function hyperslab(plan: DatasetPlan, start: number, rows: number) {
  const rest = plan.shape.slice(1).map(BigInt);
  return {
    count: [BigInt(rows), ...rest],
    offset: [BigInt(start), ...rest.map(() => 0n)],
    strides: plan.shape.map(() => 1n),
  };
}

/** Reads rows [start, start + rows) of a dataset into the wasm heap at `pointer`, in the dataset's own dtype. */
export function readSlab(
  file: H5File,
  plan: DatasetPlan,
  start: number,
  rows: number,
  pointer: number,
): void {
  const { count, offset, strides } = hyperslab(plan, start, rows);
  h5Module().get_dataset_data(file.file_id, plan.path, count, offset, strides, BigInt(pointer));
}

/** Writes rows [start, start + rows) of a dataset from the wasm heap at `pointer`. */
export function writeSlab(
  file: H5File,
  plan: DatasetPlan,
  start: number,
  rows: number,
  pointer: number,
): void {
  const { count, offset, strides } = hyperslab(plan, start, rows);
  h5Module().set_dataset_data(file.file_id, plan.path, count, offset, strides, BigInt(pointer));
}

/** Reads a whole dataset (a scalar or a small contiguous one) into the wasm heap at `pointer`. */
export function readWhole(file: H5File, plan: DatasetPlan, pointer: number): void {
  h5Module().get_dataset_data(file.file_id, plan.path, null, null, null, BigInt(pointer));
}
