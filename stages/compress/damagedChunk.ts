/** HDF5 ran a chunk's filter and the filter refused its bytes. */
const FILTER_REFUSED = /filter returned failure|Invalid data for/i;
/** The filter is not there (no plugin): the file may be fine, this reader cannot tell. */
const FILTER_MISSING = /required filter .* is not registered|can't open directory|H5PL/i;
/** A wasm abort for want of memory says nothing about the file. */
const OUT_OF_MEMORY = /memory|OOM/i;

/**
 * Whether a failed read of the source means one of its chunks is damaged: its filter refused the
 * bytes, or the filter plugin aborted the wasm instance on them (h5wasm-plugins' LZF and BLOSC call a
 * symbol h5wasm does not export on their error paths, which only damaged streams reach). A missing
 * filter, an I/O error or an exhausted heap are not damage.
 */
export function isDamagedChunk(error: unknown): boolean {
  const abort = wasmAbort(error);
  if (abort !== undefined) return !OUT_OF_MEMORY.test(abort.message);
  const text = error instanceof Error ? error.message : String(error);
  return FILTER_REFUSED.test(text) && !FILTER_MISSING.test(text);
}

/** The WebAssembly.RuntimeError in an error's cause chain (the project's lib types WebAssembly as a namespace only). */
export function wasmAbort(error: unknown): Error | undefined {
  for (let e: unknown = error; e instanceof Error; e = e.cause) if (e.name === "RuntimeError") return e;
  return undefined;
}
