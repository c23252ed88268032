import { existsSync, renameSync } from "node:fs";

/**
 * Takes a corrupt episode out of every later stage without deleting it (spec §1): renamed to
 * `*.h5.corrupt`, or `*.h5.corrupt.N` when an earlier quarantine already holds that name.
 */
export function quarantine(path: string): string {
  let target = `${path}.corrupt`;
  for (let n = 1; existsSync(target); n++) target = `${path}.corrupt.${n}`;
  renameSync(path, target);
  return target;
}
