/**
 * Runs the NumPy reference (reference.py) under the system Python, which has numpy, h5py and
 * hdf5plugin (the pyenv `python3` on PATH does not). Data comes back as raw little-endian .bin files
 * in a temp dir, plus out.json.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { FAULTED_EPISODE } from "../helpers/paths.js";

export const PYTHON = "/usr/bin/python3";
const SCRIPT = fileURLToPath(new URL("./reference.py", import.meta.url));

export interface Reference<M> {
  readonly manifest: M;
  /** A .bin file as a fresh, 8-byte aligned Uint8Array. */
  bytes(name: string): Uint8Array;
  float64(name: string): Float64Array;
  dispose(): void;
}

export function runReference<M>(command: string): Reference<M> {
  const dir = mkdtempSync(join(tmpdir(), `rigwatch-image-${command}-`));
  const res = spawnSync(PYTHON, [SCRIPT, command, dir], {
    encoding: "utf8",
    timeout: 120_000,
    env: { ...process.env, RIGWATCH_FAULTED_EPISODE: FAULTED_EPISODE },
  });
  if (res.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`reference.py ${command} failed (${res.status ?? res.signal}): ${res.stderr}`);
  }
  const bytes = (name: string): Uint8Array => new Uint8Array(readFileSync(join(dir, `${name}.bin`)));
  return {
    manifest: JSON.parse(readFileSync(join(dir, "out.json"), "utf8")) as M,
    bytes,
    float64: (name) => new Float64Array(bytes(name).buffer),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The same bytes at an odd byte offset, to force the unaligned code paths. */
export function unaligned(data: Uint8Array): Uint8Array {
  const copy = new Uint8Array(data.length + 1).subarray(1);
  copy.set(data);
  return copy;
}
