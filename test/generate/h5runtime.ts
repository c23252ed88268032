import h5wasm from "h5wasm/node";
import { install_local_plugins } from "h5wasm-plugins";

export type H5 = typeof h5wasm;

let ready: Promise<H5> | undefined;

/**
 * The h5wasm instance of this thread with the filter plugins on the search path. The package's own
 * installer fetches the .so files over HTTP and fails under Node, so they are loaded from the package
 * folder. The throwing error handler turns a missing filter into an exception instead of bad data.
 */
export function loadH5(): Promise<H5> {
  ready ??= h5wasm.ready.then((module) => {
    module.activate_throwing_error_handler();
    install_local_plugins(module);
    return h5wasm;
  });
  return ready;
}

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
