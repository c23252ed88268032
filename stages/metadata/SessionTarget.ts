import { basename, dirname, join, resolve } from "node:path";
import { reportsDir, sessionOf, tasksFile } from "../dataset/index.js";
import { REPORT_FILES } from "../detect/runDetect.js";

/** A session folder and the files the metadata stage reads and writes for it. */
export interface SessionTarget {
  readonly dateDir: string;
  readonly task: string;
  readonly date: string;
  readonly tasksPath: string;
  readonly badFramesPath: string;
  readonly csvPath: string;
}

export interface SessionTargetOptions {
  /** tasks.json to update (default `<root>/tasks.json`). */
  readonly tasksPath?: string;
  /** detect's reports (default `<root>/figures/dataset_figures`). */
  readonly reportsDir?: string;
}

/**
 * Where the files of session folder `<root>/data/<task>/<date>` are; undefined when the folder is not
 * in that layout and the options do not name both tasks.json and the reports.
 */
export function sessionTarget(
  dateDir: string,
  options: SessionTargetOptions = {},
): SessionTarget | undefined {
  const dir = resolve(dateDir);
  const root = sessionOf(dir)?.root;
  const tasksPath = options.tasksPath ?? (root === undefined ? undefined : tasksFile(root));
  const reports = options.reportsDir ?? (root === undefined ? undefined : reportsDir(root));
  if (tasksPath === undefined || reports === undefined) return undefined;
  return {
    dateDir: dir,
    task: basename(dirname(dir)),
    date: basename(dir),
    tasksPath: resolve(tasksPath),
    badFramesPath: join(reports, REPORT_FILES.badFrames),
    csvPath: join(reports, REPORT_FILES.csv),
  };
}
