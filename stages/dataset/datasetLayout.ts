import { type Dirent, readdirSync } from "node:fs";
import { basename, dirname, join, sep } from "node:path";

/**
 * The dataset's layout (curation spec §1), in one place for every stage:
 *
 *   <root>/data/<task>/<date>/episode_NNN.h5            recordings; <date>/ is a session
 *   <root>/data/<task>/<date>/.rigwatch/                rigwatch's state and caches for that session
 *   <root>/processed/<mode>/<task>/<date>/episode_NNN.pt (+ .contact.json)   the contact index
 *   <root>/figures/dataset_figures/                     detect's reports
 *   <root>/figures/episode_previews/<task>/<date>/      preview GIFs (clips/ below)
 *   <root>/tasks.json                                   the dataset's metadata
 *
 * A file outside this layout (a loose `episode_NNN.h5`) gets its outputs beside it.
 */
export const DATA_FOLDER = "data";
export const STATE_FOLDER = ".rigwatch";
export const TASKS_FILE = "tasks.json";
/** `<mode>` of `processed/<mode>/…`: the spec names none; rigwatch writes the contact index. */
export const DEFAULT_PROCESSED_MODE = "contact";

/** An episode file's name as the recorder writes it. */
export const EPISODE_FILE = /^episode_\d+\.h5$/;

/** The recorder's episode number of an `episode_NNN.h5` path, or undefined for another name. */
export function episodeNumber(path: string): number | undefined {
  const match = /^episode_(\d+)\.h5$/.exec(basename(path));
  return match ? Number(match[1]) : undefined;
}

/** `<date>/episode_NNN`: the key reports use for an episode file `.../<date>/episode_NNN.h5`. */
export function episodeKey(path: string): string {
  return `${basename(dirname(path))}/${basename(path).replace(/\.h5$/, "")}`;
}

/** The dataset root of `root/data/<task>/<date>/episode_NNN.h5`, or undefined for a loose file. */
export function datasetRoot(path: string): string | undefined {
  const parts = path.split(sep);
  const i = parts.lastIndexOf(DATA_FOLDER);
  return i >= 0 && parts.length - i === 4 ? parts.slice(0, i).join(sep) || sep : undefined;
}

/** `root`, task and date of a session folder `<root>/data/<task>/<date>`, or undefined outside the layout. */
export function sessionOf(dateDir: string): { root: string; task: string; date: string } | undefined {
  const taskDir = dirname(dateDir);
  if (basename(dirname(taskDir)) !== DATA_FOLDER) return undefined;
  return { root: dirname(dirname(taskDir)), task: basename(taskDir), date: basename(dateDir) };
}

/** The dataset's `tasks.json`. */
export const tasksFile = (root: string): string => join(root, TASKS_FILE);

/** detect's reports of the whole dataset (spec §5). */
export const reportsDir = (root: string): string => join(root, "figures", "dataset_figures");

/** Where detect's reports for an episode go by default: the dataset's, or beside a loose file. */
export function defaultReportDir(h5Path: string): string {
  const root = datasetRoot(h5Path);
  return root === undefined ? dirname(h5Path) : reportsDir(root);
}

/** The dataset root of a file under `<root>/figures/episode_previews/` (a preview or a clip), else undefined. */
export function datasetRootOfPreview(path: string): string | undefined {
  const parts = path.split(sep);
  const i = parts.lastIndexOf("episode_previews");
  return i >= 2 && parts[i - 1] === "figures" ? parts.slice(0, i - 1).join(sep) || sep : undefined;
}

/** A session's preview folder, `<root>/figures/episode_previews/<task>/<date>/` (spec §6). */
export const sessionPreviewsDir = (root: string, task: string, date: string): string =>
  join(root, "figures", "episode_previews", task, date);

/** The preview folder of an episode's session, or the file's own folder outside the layout. */
export function previewDir(h5Path: string): string {
  const root = datasetRoot(h5Path);
  if (root === undefined) return dirname(h5Path);
  const dateDir = dirname(h5Path);
  return sessionPreviewsDir(root, basename(dirname(dateDir)), basename(dateDir));
}

export interface ProcessedLayoutOptions {
  /** Put the files in this folder instead of the dataset layout. */
  readonly out?: string;
  readonly mode?: string;
}

/** `<root>/processed/<mode>/<task>/<date>/` (spec §1). */
export const sessionProcessedDir = (root: string, mode: string, task: string, date: string): string =>
  join(root, "processed", mode, task, date);

/** Where an episode's `.pt` goes: the session's processed folder, else beside the file; `out` overrides both. */
export function processedDir(h5Path: string, options: ProcessedLayoutOptions = {}): string {
  if (options.out !== undefined) return options.out;
  const root = datasetRoot(h5Path);
  if (root === undefined) return dirname(h5Path);
  const dateDir = dirname(h5Path);
  return sessionProcessedDir(
    root,
    options.mode ?? DEFAULT_PROCESSED_MODE,
    basename(dirname(dateDir)),
    basename(dateDir),
  );
}

/** `episode_NNN.pt` and its `episode_NNN.contact.json` sidecar (spec §4) in `dir`. */
export function contactIndexFiles(h5Path: string, dir: string): { pt: string; sidecar: string } {
  const stem = basename(h5Path).replace(/\.h5$/, "");
  return { pt: join(dir, `${stem}.pt`), sidecar: join(dir, `${stem}.contact.json`) };
}

/** A session's MCAP exports, `<root>/exports/mcap/<task>/<date>/`: beside the dataset, not published. */
export const sessionExportsDir = (root: string, task: string, date: string): string =>
  join(root, "exports", "mcap", task, date);

/**
 * Where `rigwatch export` writes an episode's `.mcap`: `<out>/<date>/episode_NNN.mcap` when `out` is
 * given (the report key, so sessions do not collide), else the session's exports folder, else beside
 * a loose file.
 */
export function exportFile(h5Path: string, out?: string): string {
  const name = `${basename(h5Path, ".h5")}.mcap`;
  if (out !== undefined) return join(out, basename(dirname(h5Path)), name);
  const root = datasetRoot(h5Path);
  if (root === undefined) return join(dirname(h5Path), name);
  const dateDir = dirname(h5Path);
  return join(sessionExportsDir(root, basename(dirname(dateDir)), basename(dateDir)), name);
}

/** rigwatch's state folder of a session (stage state, caches): never published, never the only copy. */
export const sessionStateDir = (dateDir: string): string => join(dateDir, STATE_FOLDER);

/**
 * The analysis pass's evidence of one episode (thumbnails, frame differences, OT, derived series), in
 * its session's state folder: `<date>/.rigwatch/analysis/episode_NNN/`.
 */
export const analysisCacheDir = (h5Path: string): string =>
  join(sessionStateDir(dirname(h5Path)), "analysis", basename(h5Path, ".h5"));

/** detect's cached result of one episode, in its session's state folder. */
export const detectCacheFile = (h5Path: string): string =>
  join(sessionStateDir(dirname(h5Path)), "detect", `${basename(h5Path, ".h5")}.json`);

/**
 * Every `data/<task>/<date>/episode_NNN.h5` of a dataset (hidden folders, quarantined files and links
 * excluded), sorted. A folder that cannot be listed adds nothing (the commands report it when they
 * scan the paths they were given).
 */
export function datasetEpisodes(root: string): string[] {
  const found: string[] = [];
  const entries = (dir: string): Dirent[] => {
    try {
      return readdirSync(dir, { withFileTypes: true });
    } catch {
      return [];
    }
  };
  const dirs = (dir: string) =>
    entries(dir)
      .filter((d) => d.isDirectory() && !d.name.startsWith("."))
      .map((d) => join(dir, d.name));
  for (const task of dirs(join(root, DATA_FOLDER)))
    for (const date of dirs(task))
      for (const entry of entries(date))
        if (entry.isFile() && EPISODE_FILE.test(entry.name)) found.push(join(date, entry.name));
  return found.sort();
}
