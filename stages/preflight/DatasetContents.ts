import { existsSync, readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { sessionFiles } from "../metadata/index.js";

/** One `data/<task>/<date>/episode_NNN.h5` of the dataset. */
export interface DatasetEpisode {
  readonly task: string;
  readonly date: string;
  /** `episode_NNN` */
  readonly stem: string;
  /** The key detect's reports use: `<date>/episode_NNN`. */
  readonly key: string;
  readonly path: string;
}

export interface DatasetSession {
  readonly task: string;
  readonly date: string;
  readonly dir: string;
}

/** What the checklist looks at: the root and the episodes on disk (sessions with at least one). */
export interface DatasetContents {
  readonly root: string;
  /** `<mode>` of `processed/<mode>/…` (default "contact"). */
  readonly mode: string;
  readonly episodes: readonly DatasetEpisode[];
  readonly sessions: readonly DatasetSession[];
  /** `path` relative to the root, "/"-separated: how every item names files. */
  readonly rel: (path: string) => string;
}

/**
 * The episodes of `root/data/<task>/<date>/`, sorted. Hidden folders are skipped (publish leaves them
 * out), and so are quarantined `*.h5.corrupt` files (left out of every stage after check).
 */
export function datasetContents(root: string, mode: string): DatasetContents {
  const episodes: DatasetEpisode[] = [];
  const sessions: DatasetSession[] = [];
  const data = join(root, "data");
  for (const task of subfolders(data))
    for (const date of subfolders(join(data, task))) {
      const dir = join(data, task, date);
      const stems = sessionFiles(dir).episodes;
      if (stems.length > 0) sessions.push({ task, date, dir });
      for (const stem of stems)
        episodes.push({ task, date, stem, key: `${date}/${stem}`, path: join(dir, `${stem}.h5`) });
    }
  return { root, mode, episodes, sessions, rel: (path) => relative(root, path).split(sep).join("/") };
}

function subfolders(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith("."))
    .map((e) => e.name)
    .sort();
}
