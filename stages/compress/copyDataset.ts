import type { File as H5File } from "h5wasm/node";
import { h5Module } from "../../hw/h5/runtime.js";
import { type DatasetPlan, slabs, UnsupportedDatasetError } from "./datasetPlan.js";
import { fitsIn32Bits } from "./fitsIn32Bits.js";
import { fromSource, rowsLabel } from "./fromSource.js";
import { COPY_POISON, decodeSlab } from "./decodeSlab.js";
import { openFileOf, writeSlab } from "./slabIo.js";
import type { WasmBuffer } from "./WasmBuffer.js";

const DEFLATE = 1;
const NO_FILTER = 0;
/** HDF5's H5S_UNLIMITED, 2^64 − 1, as h5wasm's create call takes it. */
const UNLIMITED = 2n ** 64n - 1n;

/** Refuses 64-bit integers beyond 32 bits, which h5wasm's int64 datatype cannot describe faithfully. */
export function assertFits(plan: DatasetPlan, bytes: Uint8Array, firstRow: number): void {
  if (plan.wideInteger && !fitsIn32Bits(bytes, plan.metadata.signed)) {
    throw new UnsupportedDatasetError(
      `a 64-bit value beyond 32 bits at or after row ${firstRow} (h5wasm writes int64 with 32-bit precision)`,
    );
  }
}

/**
 * Creates the dataset in `dst` and copies it slab by slab through one wasm buffer: the source's filter
 * decodes into the buffer, deflate at `level` encodes from it. A chunked dataset is created empty and
 * extended (within its maxshape), since h5wasm's create call would otherwise write the whole data at once.
 * With `createOnly` the chunked dataset is only created: placeChunks stores its chunks afterwards.
 */
export function copyDataset(
  src: H5File,
  dst: H5File,
  plan: DatasetPlan,
  level: number,
  buffer: WasmBuffer,
  createOnly = false,
): void {
  const module = h5Module();
  const { type, size, signed } = plan.metadata;
  const maxshape = plan.maxshape.map((n) => (n === null ? UNLIMITED : BigInt(n)));
  if (plan.chunks === null) {
    const bytes = plan.rowBytes * (plan.shape.length === 0 ? 1 : (plan.shape[0] as number));
    const pointer = buffer.reserve(bytes);
    fromSource(plan.path, plan.path, () => decodeSlab(openFileOf(src), plan, 0, 1, pointer, COPY_POISON));
    assertFits(plan, buffer.view(bytes), 0);
    const shape = plan.shape.map(BigInt);
    module.create_dataset(
      dst.file_id,
      plan.path,
      BigInt(pointer),
      shape,
      maxshape,
      null,
      type,
      size,
      signed,
      false,
      NO_FILTER,
      [],
      false,
    );
    return;
  }
  const empty = [0n, ...plan.shape.slice(1).map(BigInt)];
  module.create_dataset(
    dst.file_id,
    plan.path,
    0n,
    empty,
    maxshape,
    plan.chunks.map(BigInt),
    type,
    size,
    signed,
    false,
    DEFLATE,
    [level],
    false,
  );
  module.resize_dataset(dst.file_id, plan.path, plan.shape.map(BigInt));
  if (createOnly) return;
  const pointer = buffer.reserve(plan.slabRows * plan.rowBytes);
  const source = openFileOf(src);
  const copy = openFileOf(dst);
  for (const [start, rows] of slabs(plan)) {
    fromSource(plan.path, rowsLabel(start, rows), () =>
      decodeSlab(source, plan, start, rows, pointer, COPY_POISON),
    );
    assertFits(plan, buffer.view(rows * plan.rowBytes), start);
    writeSlab(copy, plan, start, rows, pointer);
  }
}
