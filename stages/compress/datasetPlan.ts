import type { Metadata } from "h5wasm/node";
import type { DatasetEntry } from "./episodeTree.js";

/** h5wasm reports H5S_UNLIMITED as 2^64 − 1, which a double rounds up past any real extent. */
const UNLIMITED_ABOVE = Number.MAX_SAFE_INTEGER;
/** A single chunk row larger than this would break the memory bound. */
const MAX_SLAB_BYTES = 64 << 20;
/** Datasets that are not chunked cannot be written slab-wise into a fresh file; small ones are copied whole. */
const MAX_WHOLE_BYTES = 16 << 20;

const H5T_INTEGER = 0;
const H5T_FLOAT = 1;

/** How one dataset is recreated and copied. */
export interface DatasetPlan {
  readonly path: string;
  readonly metadata: Metadata;
  readonly shape: readonly number[];
  /** `null` per unlimited axis. */
  readonly maxshape: readonly (number | null)[];
  /** Output chunks (the source's, clamped to the shape), or null: copied whole, layout kept, no filter. */
  readonly chunks: readonly number[] | null;
  /** Bytes of one index along the first axis (the whole dataset for a scalar). */
  readonly rowBytes: number;
  /**
   * Rows per read/write call: one row of source chunks (one frame of an image stream), so each read
   * decodes its chunks right after the heap was poisoned (see decodeSlab).
   */
  readonly slabRows: number;
  /** Bytes of one source chunk as decoded (what a filter allocates for its output). */
  readonly chunkBytes: number;
  /** 64-bit integers: h5wasm stores them with 32-bit precision, so values must fit in 32 bits. */
  readonly wideInteger: boolean;
}

/** Why a dataset cannot be copied faithfully; the caller names the file. */
export class UnsupportedDatasetError extends Error {}

export function planDataset({ path, metadata }: DatasetEntry): DatasetPlan {
  const { type, size, vlen, littleEndian } = metadata;
  if (!(type === H5T_INTEGER || type === H5T_FLOAT) || vlen) {
    throw new UnsupportedDatasetError(
      `dtype class ${type}${vlen ? " (variable length)" : ""}: h5wasm writes integers and floats only`,
    );
  }
  if (type === H5T_FLOAT && size !== 4 && size !== 8)
    throw new UnsupportedDatasetError(`${size}-byte floats`);
  if (!littleEndian) throw new UnsupportedDatasetError("big-endian data");
  const shape = metadata.shape ?? [];
  const maxshape = (metadata.maxshape ?? shape).map((n) => (n > UNLIMITED_ABOVE ? null : n));
  const rowBytes = shape.slice(1).reduce((a, b) => a * b, size);
  const totalBytes = rowBytes * (shape[0] ?? 1);
  const wideInteger = type === H5T_INTEGER && size === 8;
  if (metadata.chunks === null || shape.length === 0) {
    if (totalBytes > MAX_WHOLE_BYTES)
      throw new UnsupportedDatasetError(`${totalBytes} bytes, not chunked: cannot be copied slab-wise`);
    const slabRows = shape[0] ?? 1;
    return {
      path,
      metadata,
      shape,
      maxshape,
      chunks: null,
      rowBytes,
      slabRows,
      chunkBytes: totalBytes,
      wideInteger,
    };
  }
  const source = metadata.chunks;
  // A chunk longer than the data (h5py's guess for a short table) only wastes space once deflated.
  const chunks = source.map((c, d) => Math.min(c, Math.max(1, shape[d] ?? 1)));
  const chunkRowBytes = (source[0] ?? 1) * rowBytes;
  if (chunkRowBytes > MAX_SLAB_BYTES)
    throw new UnsupportedDatasetError(`one chunk row holds ${chunkRowBytes} bytes (limit ${MAX_SLAB_BYTES})`);
  const chunkBytes = source.reduce((a, b) => a * b, size);
  return {
    path,
    metadata,
    shape,
    maxshape,
    chunks,
    rowBytes,
    slabRows: source[0] ?? 1,
    chunkBytes,
    wideInteger,
  };
}

/** The slabs of a plan: [first row, row count] along the first axis. */
export function* slabs(plan: DatasetPlan): Generator<readonly [number, number]> {
  const rows = plan.shape[0] ?? 0;
  for (let start = 0; start < rows; start += plan.slabRows) {
    yield [start, Math.min(plan.slabRows, rows - start)];
  }
}
