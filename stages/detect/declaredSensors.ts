import { existsSync, readFileSync } from "node:fs";
import { basename, dirname } from "node:path";
import type { Side } from "../../detectors/samples.js";
import { ReportFileError } from "../../sinks/reports/index.js";
import { datasetRoot, tasksFile } from "../dataset/index.js";

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
  const file = tasksPath ?? (root === undefined ? undefined : tasksFile(root));
  return activeSensorsFromTasks(file, basename(dirname(h5Path)));
}
