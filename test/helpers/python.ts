import { execFileSync } from "node:child_process";

/**
 * Runs a script with Debian's Python (the one with h5py, hdf5plugin, NumPy), not whatever `python3`
 * is first on PATH. Returns stdout; a failing script fails the test with its stderr.
 */
export function python(script: string, args: readonly string[] = [], input?: Uint8Array): string {
  return execFileSync("/usr/bin/python3", ["-c", script, ...args], {
    encoding: "utf8",
    input,
    maxBuffer: 256 * 1024 * 1024,
  });
}
