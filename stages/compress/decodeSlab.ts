import type { DatasetPlan } from "./datasetPlan.js";
import { type OpenFile, readSlab, readWhole } from "./slabIo.js";

/** What the copy pass leaves in freed heap before each decode. */
export const COPY_POISON = 0x5a;
/** What the verifying decode leaves: every bit the other way. */
export const VERIFY_POISON = 0xa5;
/** Room for HDF5's own small buffers around the two a filter needs (its input and its output). */
const POISON_MARGIN = 64 << 10;

/**
 * Decodes rows of the source (one row of chunks) right after filling a freed stretch of the heap,
 * larger than everything the read allocates, with `poison`. A filter that returns fewer bytes than a
 * chunk holds (h5py's LZF filter on a damaged stream does, and HDF5 does not check) leaves the rest
 * of its output buffer as it found it: with the two passes poisoned differently, such a chunk decodes
 * to different bytes in each and the comparison sees it, instead of both passes reading the same
 * leftovers of the frame before.
 */
export function decodeSlab(
  file: OpenFile,
  plan: DatasetPlan,
  start: number,
  rows: number,
  pointer: number,
  poison: number,
): void {
  const { module } = file;
  // The raw chunk (up to a chunk's size for noisy frames) is allocated first, the output after it.
  const bytes = 2 * plan.chunkBytes + POISON_MARGIN;
  const scratch = module._malloc(bytes);
  if (scratch === 0) throw new RangeError(`cannot allocate ${bytes} bytes in the wasm heap`);
  module.HEAPU8.fill(poison, scratch, scratch + bytes);
  module._free(scratch);
  if (plan.chunks === null) readWhole(file, plan, pointer);
  else readSlab(file, plan, start, rows, pointer);
}
