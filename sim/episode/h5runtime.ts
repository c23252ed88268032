export { type H5, loadH5 } from "../../hw/h5/runtime.js";

/**
 * Runs an h5wasm call with the wall clock pinned. HDF5 stamps a modification time into every object
 * header it touches (read through emscripten's Date.now), which would make two runs of the same scenario
 * differ by a few bytes; pinning it to the recording time keeps files byte-identical.
 */
export function atTime<T>(epochMs: number, fn: () => T): T {
  const realNow = Date.now;
  Date.now = () => epochMs;
  try {
    return fn();
  } finally {
    Date.now = realNow;
  }
}
