import { rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { h5Module } from "../../hw/h5/runtime.js";

/**
 * The temporary file of a compression, in the same folder (so the final rename is atomic) and hidden:
 * `episode_000.h5` → `.episode_000.h5.compress-tmp`. A killed run leaves it behind; the next run of
 * the same file removes it first.
 */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.compress-tmp`);
}

interface EmscriptenStream {
  readonly path?: string;
}
interface EmscriptenFs {
  readonly streams: readonly (EmscriptenStream | null | undefined)[];
  close(stream: EmscriptenStream): void;
}

/**
 * After a failed write HDF5 may keep the file open (the throwing error handler leaves object ids
 * behind, so H5Fclose only marks the file closing). The descriptor would then hold a deleted file's
 * blocks until the thread exits: close every emscripten stream still open on `path`.
 */
export function releaseStreams(path: string): void {
  const fs = (h5Module() as unknown as { FS: EmscriptenFs }).FS;
  for (const stream of fs.streams) {
    if (stream?.path !== path) continue;
    try {
      fs.close(stream);
    } catch {
      // Already closed underneath: nothing left to release.
    }
  }
}

/** Removes the temporary file (and anything h5wasm still holds open on it). */
export function discardTemp(tempPath: string): void {
  releaseStreams(tempPath);
  rmSync(tempPath, { force: true });
}
