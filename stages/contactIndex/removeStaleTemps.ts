import { removeAtomicLeftovers } from "../../sinks/atomicWrite.js";

/**
 * Removes temp files a killed run left for `path` (`.<name>.<pid>.<random>.tmp`, see atomicTempPath)
 * whose process is gone. A live process's temp file is left alone, this one's too: another of its
 * threads may be writing the same take's index (a queued job handed on while its first attempt ran).
 */
export function removeStaleTemps(path: string): string[] {
  return removeAtomicLeftovers(path);
}
