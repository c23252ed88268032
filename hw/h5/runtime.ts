import h5wasm from "h5wasm/node";
import { install_local_plugins } from "h5wasm-plugins";

export type H5 = typeof h5wasm;
export type H5Module = Awaited<typeof h5wasm.ready>;

interface Instance {
  readonly h5: H5;
  readonly module: H5Module;
}

let ready: Promise<Instance> | undefined;
let loaded: Instance | undefined;
let instances = 0;
/** Instances that aborted: every later call into them is undefined behaviour. */
const aborted = new WeakSet<H5Module>();

/** The wasm module, for callers that run after `loadH5()` resolved (any open file implies it). */
export function h5Module(): H5Module {
  if (!loaded) throw new Error("h5wasm is not loaded yet: await loadH5() first");
  return loaded.module;
}

/**
 * The h5wasm instance of this thread. The throwing error handler is switched on first: without it a
 * read through a missing filter returns garbage with no exception. Plugins are loaded from the package
 * folder because the package's fetch-based installer fails under Node.
 *
 * A plugin can abort the wasm instance on a damaged chunk (LZF's decoder does, on a missing libc
 * symbol), and an aborted instance returns garbage or fails for every later file. The next call after
 * an abort therefore gets a fresh instance (a second evaluation of the package), so one damaged file
 * cannot make a run misjudge the files after it.
 */
export function loadH5(): Promise<H5> {
  if (loaded && aborted.has(loaded.module)) {
    loaded = undefined;
    ready = undefined;
  }
  ready ??= instantiate(instances++).then((instance) => {
    loaded = instance;
    return instance;
  });
  return ready.then((instance) => instance.h5);
}

/** The module aborted (or is not this thread's current one): calls into it must not be made. */
export function isAborted(module: H5Module): boolean {
  return aborted.has(module);
}

async function instantiate(n: number): Promise<Instance> {
  const h5 =
    n === 0
      ? h5wasm
      : ((await import(`${import.meta.resolve("h5wasm/node")}?instance=${n}`)) as { default: H5 }).default;
  const module = await h5.ready;
  module.activate_throwing_error_handler();
  install_local_plugins(module);
  module.onAbort = () => aborted.add(module);
  return { h5, module };
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
