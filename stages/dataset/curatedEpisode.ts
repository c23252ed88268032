import { lstatSync, realpathSync } from "node:fs";
import { homedir } from "node:os";
import { basename, dirname, isAbsolute, join, resolve, sep } from "node:path";
import { EPISODE_FILE, sessionOf } from "./datasetLayout.js";

/** Why a path named by an input (the recorder tap) is not curated. */
export type RefusalReason =
  | "not_found"
  | "not_absolute"
  | "unresolvable"
  | "not_a_file"
  | "not_an_episode"
  | "not_in_a_session"
  | "outside_data_roots";

export type CuratedEpisode =
  | { readonly ok: true; readonly path: string; readonly sessionDir: string }
  | { readonly ok: false; readonly reason: RefusalReason; readonly message: string };

/** The data roots as absolute, resolved folders: `~` is `home`; a root that exists has its links resolved. */
export function resolveDataRoots(roots: readonly string[], home = homedir()): string[] {
  return roots.map((root) => {
    const expanded = root === "~" ? home : root.startsWith("~/") ? join(home, root.slice(2)) : resolve(root);
    try {
      return realpathSync(expanded);
    } catch {
      return expanded;
    }
  });
}

/**
 * Whether the daemon may curate the file an input names: the path is resolved (links, `..`) and the
 * file it lands on must be a regular `episode_NNN.h5` in a session folder `data/<task>/<date>/`
 * (no hidden task or date) of a dataset at or below one of `roots` (already resolved). Returns the
 * resolved path, the one the stages work on, or why not: the caller refuses it and touches nothing.
 */
export function curatedEpisode(path: string, roots: readonly string[]): CuratedEpisode {
  const refuse = (reason: RefusalReason, why: string): CuratedEpisode => ({
    ok: false,
    reason,
    message: `${JSON.stringify(path.slice(0, 300))}: ${why}`,
  });
  if (path.includes("\0")) return refuse("not_absolute", "not an absolute path");
  let real: string;
  try {
    real = realpathSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Nothing here to touch (a recorder on another machine, a simulated take): not a refusal.
    return code === "ENOENT"
      ? refuse("not_found", "no such file here")
      : refuse("unresolvable", `cannot be resolved (${code ?? String(error)})`);
  }
  // A relative path would be read from the daemon's own folder: never what the recorder meant.
  if (!isAbsolute(path)) return refuse("not_absolute", "not an absolute path");
  const shown = real === path ? "" : ` (resolves to ${real})`;
  let regular = false;
  try {
    regular = lstatSync(real).isFile();
  } catch {
    // vanished since: not a file
  }
  if (!regular) return refuse("not_a_file", `not a regular file${shown}`);
  if (!EPISODE_FILE.test(basename(real)))
    return refuse("not_an_episode", `not an episode_NNN.h5 file${shown}`);
  const sessionDir = dirname(real);
  const session = sessionOf(sessionDir);
  if (!session || session.task.startsWith(".") || session.date.startsWith("."))
    return refuse("not_in_a_session", `not in a session folder data/<task>/<date>/${shown}`);
  const inside = roots.some(
    (root) => session.root === root || session.root.startsWith(root.endsWith(sep) ? root : `${root}${sep}`),
  );
  if (!inside)
    return refuse(
      "outside_data_roots",
      `its dataset ${session.root} is not under a data root (stages.dataRoots: ${roots.join(", ")})${shown}`,
    );
  return { ok: true, path: real, sessionDir };
}
