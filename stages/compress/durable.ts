import { closeSync, fsyncSync, openSync } from "node:fs";

/**
 * Flushes a file or a folder to stable storage. h5wasm writes through emscripten's NODERAWFS (plain
 * fs.writeSync on the real file), and neither HDF5's sec2 driver nor emscripten ever calls fsync, so
 * the stage does it itself: the file after HDF5 closed it, the folder after the rename.
 */
export function fsyncPath(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
