import { chmodSync, renameSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { fsyncPath } from "./durable.js";

/**
 * Puts a verified copy in place of the original: the original's permissions, one atomic rename, the
 * folder fsynced so the rename survives a power cut. A kill before the rename leaves the original.
 */
export function placeVerifiedCopy(tempPath: string, path: string): void {
  chmodSync(tempPath, statSync(path).mode & 0o7777);
  renameSync(tempPath, path);
  fsyncPath(dirname(path));
}
