import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(new URL("./h5pyEpisode.py", import.meta.url));
/** An empty plugin folder: HDF5 then finds no filter plugin at all (Debian's default path has BLOSC). */
const NO_PLUGINS = mkdtempSync(join(tmpdir(), "rigwatch-no-plugins-"));
/** Debian's HDF5 plugin folder, where the system h5py finds BLOSC and LZF. */
const DEBIAN_PLUGINS = "/usr/lib/x86_64-linux-gnu/hdf5/serial/plugins";

export interface DatasetLayout {
  dtype: string;
  shape: number[];
  maxshape: (number | null)[];
  chunks: number[] | null;
  compression: string | null;
  compression_opts: number | null;
  shuffle: boolean;
  equal: boolean;
}

export interface Comparison {
  names: { orig: string[]; copy: string[] };
  datasets: Record<string, DatasetLayout>;
  source_chunks: Record<string, number[] | null>;
  attributes: {
    orig: Record<string, Record<string, unknown>>;
    copy: Record<string, Record<string, unknown>>;
  };
}

/** Debian h5py (with the system's filter plugins) compares a copy with its original. */
export function compareWithH5py(orig: string, copy: string): Comparison {
  const out = execFileSync("/usr/bin/python3", [SCRIPT, "compare", orig, copy], {
    encoding: "utf8",
    env: { ...process.env, HDF5_PLUGIN_PATH: DEBIAN_PLUGINS },
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out) as Comparison;
}

/** Debian h5py with no filter plugin reads every dataset; stdout JSON or the failure's stderr. */
export function readWithoutPlugins(path: string): {
  ok: boolean;
  filters: Record<string, unknown>;
  stderr: string;
} {
  const run = spawnSync("/usr/bin/python3", [SCRIPT, "read", path], {
    encoding: "utf8",
    env: { ...process.env, HDF5_PLUGIN_PATH: NO_PLUGINS },
  });
  return {
    ok: run.status === 0,
    filters: run.status === 0 ? (JSON.parse(run.stdout) as Record<string, unknown>) : {},
    stderr: run.stderr,
  };
}
