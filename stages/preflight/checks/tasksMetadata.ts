import { join } from "node:path";
import {
  type JsonObject,
  readTasksFile,
  sessionEntryProblems,
  type TasksFile,
} from "../../metadata/index.js";
import { ReportFileError } from "../../../sinks/reports/index.js";
import type { DatasetContents, DatasetSession } from "../DatasetContents.js";
import { type PreflightItem, preflightItem } from "../PreflightReport.js";

const TITLE =
  "tasks.json has per_date_notes.<date> (kind, active_sensors, note) and the date in tasks.<task>.dates";

/** Spec §8: tasks.json describes every session on disk. */
export function checkTasksMetadata(dataset: DatasetContents): PreflightItem {
  const path = join(dataset.root, "tasks.json");
  const problems = new Map<string, string>();
  const fix =
    "run `rigwatch metadata <date-dir>` for those sessions (a person's kind, active_sensors and note are kept)";
  let file: TasksFile | undefined;
  try {
    file = readTasksFile(path);
  } catch (error) {
    if (!(error instanceof ReportFileError)) throw error;
    problems.set("tasks.json", error.message.slice(`${path}: `.length));
    return preflightItem(
      "tasks_metadata",
      TITLE,
      problems,
      "fix tasks.json by hand; rigwatch never repairs it",
    );
  }
  if (file === undefined) {
    if (dataset.sessions.length > 0) problems.set("tasks.json", "missing");
    return preflightItem("tasks_metadata", TITLE, problems, fix);
  }
  for (const session of dataset.sessions) {
    const found = sessionProblems(file.data, session);
    if (found.length > 0) problems.set(dataset.rel(session.dir), found.join("; "));
  }
  return preflightItem("tasks_metadata", TITLE, problems, fix);
}

function sessionProblems(data: JsonObject, { task, date }: DatasetSession): string[] {
  const problems = sessionEntryProblems(data, task, date);
  if (problems.length > 0) return problems;
  const dates = ((data.tasks as JsonObject | undefined)?.[task] as JsonObject | undefined)?.dates as
    string[] | undefined;
  if (!dates?.includes(date)) problems.push(`${date} is not in tasks.${task}.dates`);
  const entry = (data.per_date_notes as JsonObject | undefined)?.[date] as JsonObject | undefined;
  if (entry === undefined) return [...problems, `per_date_notes.${date} is missing`];
  for (const field of ["kind", "active_sensors", "note"]) {
    const value = entry[field];
    if (value === undefined) problems.push(`per_date_notes.${date}.${field} is missing`);
    else if (typeof value === "string" && value.trim() === "")
      problems.push(`per_date_notes.${date}.${field} is empty`);
  }
  return problems;
}
