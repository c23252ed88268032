import h5wasm from "h5wasm/node";
import { install_local_plugins } from "h5wasm-plugins";

export type H5 = typeof h5wasm;
export type H5Module = Awaited<typeof h5wasm.ready>;

let ready: Promise<H5> | undefined;
let loaded: H5Module | undefined;

/** The wasm module, for callers that run after `loadH5()` resolved (any open file implies it). */
export function h5Module(): H5Module {
  if (!loaded) throw new Error("h5wasm is not loaded yet: await loadH5() first");
  return loaded;
}

/**
 * The one h5wasm instance of this thread. The throwing error handler is switched on first: without it
 * a read through a missing filter returns garbage with no exception. Plugins are loaded from the
 * package folder because the package's fetch-based installer fails under Node.
 */
export function loadH5(): Promise<H5> {
  ready ??= h5wasm.ready.then((module) => {
    module.activate_throwing_error_handler();
    install_local_plugins(module);
    loaded = module;
    return h5wasm;
  });
  return ready;
}

/** HDF5 filter ids this runtime can decode: built-ins plus the h5wasm-plugins set. */
export const AVAILABLE_FILTERS: ReadonlyMap<number, string> = new Map([
  [1, "deflate"],
  [2, "shuffle"],
  [3, "fletcher32"],
  [5, "nbit"],
  [6, "scaleoffset"],
  [307, "bzip2"],
  [32000, "lzf"],
  [32001, "blosc"],
  [32004, "lz4"],
  [32008, "bitshuffle"],
  [32013, "zfp"],
  [32015, "zstd"],
  [32019, "jpeg"],
  [32022, "bitgroom"],
  [32023, "bitround"],
  [32026, "blosc2"],
]);
