import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join, sep } from "node:path";
import type { Side } from "../../detectors/samples.js";
import { ReportFileError } from "../../sinks/reports/index.js";

/** `<date>/episode_NNN`: the key reports use for an episode file `.../<date>/episode_NNN.h5`. */
export function episodeKey(path: string): string {
  return `${basename(dirname(path))}/${basename(path).replace(/\.h5$/, "")}`;
}

/** The dataset root of `root/data/<task>/<date>/episode_NNN.h5`, or undefined for a loose file. */
export function datasetRoot(path: string): string | undefined {
  const parts = path.split(sep);
  const i = parts.lastIndexOf("data");
  return i >= 0 && parts.length - i === 4 ? parts.slice(0, i).join(sep) || sep : undefined;
}

export function defaultReportDir(path: string): string {
  const root = datasetRoot(path);
  return root === undefined ? dirname(path) : join(root, "figures", "dataset_figures");
}

/** `tasks.json` per_date_notes.<date>.active_sensors, when the data team wrote them down. */
export function activeSensorsFromTasks(tasksPath: string | undefined, date: string): Side[] | undefined {
  if (!tasksPath || !existsSync(tasksPath)) return undefined;
  let tasks: { per_date_notes?: Record<string, { active_sensors?: unknown }> };
  try {
    tasks = JSON.parse(readFileSync(tasksPath, "utf8"));
  } catch (error) {
    throw new ReportFileError(tasksPath, `not valid JSON (${(error as Error).message})`);
  }
  const sensors = tasks.per_date_notes?.[date]?.active_sensors;
  if (sensors === undefined) return undefined;
  if (!Array.isArray(sensors) || sensors.some((s) => s !== "left" && s !== "right")) {
    throw new ReportFileError(
      tasksPath,
      `per_date_notes.${date}.active_sensors must list "left" and/or "right", found ${JSON.stringify(sensors)}`,
    );
  }
  return sensors as Side[];
}

/**
 * The active sensors a person declared for an episode's session: `tasksPath` (default the dataset's
 * `tasks.json`) at `per_date_notes.<date>.active_sensors`; undefined when nobody did (detect decides).
 */
export function declaredActiveSensors(h5Path: string, tasksPath?: string): Side[] | undefined {
  const root = datasetRoot(h5Path);
  const file = tasksPath ?? (root === undefined ? undefined : join(root, "tasks.json"));
  return activeSensorsFromTasks(file, basename(dirname(h5Path)));
}

/** Every `data/<task>/<date>/episode_NNN.h5` of a dataset (quarantined files excluded), sorted. */
export function datasetEpisodes(root: string): string[] {
  const found: string[] = [];
  const dirs = (dir: string) =>
    existsSync(dir)
      ? readdirSync(dir, { withFileTypes: true })
          .filter((d) => d.isDirectory() && !d.name.startsWith("."))
          .map((d) => join(dir, d.name))
      : [];
  for (const task of dirs(join(root, "data")))
    for (const date of dirs(task))
      for (const entry of readdirSync(date, { withFileTypes: true }))
        if (entry.isFile() && /^episode_\d+\.h5$/.test(entry.name)) found.push(join(date, entry.name));
  return found.sort();
}
