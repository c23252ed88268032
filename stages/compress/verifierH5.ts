import { install_local_plugins } from "h5wasm-plugins";
import type { H5Module } from "../../hw/h5/runtime.js";

let instance: Promise<H5Module> | undefined;

/**
 * A second HDF5 library in this thread, used only to decode the source again for verification: its
 * own wasm heap, chunk cache, plugins and file handles, so nothing the copy pass decoded, cached or
 * left in memory can reach the decode the copy is compared with. (Opening the same file twice in one
 * HDF5 shares the file's state, chunk cache included.) Loaded once per thread.
 */
export function loadVerifierH5(): Promise<H5Module> {
  instance ??= (async () => {
    // h5wasm exports only its high-level wrapper, which binds the one instance; the emscripten factory
    // beside it makes another.
    const factoryUrl = import.meta.resolve("h5wasm/node").replace(/hdf5_hl\.js$/, "hdf5_util.js");
    const factory = (await import(factoryUrl)) as { default: () => Promise<H5Module> };
    const module = await factory.default();
    module.activate_throwing_error_handler();
    install_local_plugins(module);
    return module;
  })();
  return instance;
}

/** After a wasm abort (a plugin failing on a damaged chunk) the instance is dead: the next call loads a new one. */
export function discardVerifierH5(): void {
  instance = undefined;
}
