import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { isDeepStrictEqual } from "node:util";
import type { Side } from "../../detectors/samples.js";
import { writeFileAtomic } from "../../sinks/atomicWrite.js";
import { ReportFileError } from "../../sinks/reports/index.js";
import type { JsonObject } from "./Json.js";
import { sessionEntryProblems } from "./sessionEntryProblems.js";
import { sessionDateChange } from "./sessionDateChange.js";
import { sessionKind } from "./sessionKind.js";
import type { SessionTarget } from "./SessionTarget.js";
import { applyChanges, type TasksChange } from "./TasksChange.js";
import { readTasksFile } from "./tasksFile.js";
import { NEW_FILE_STYLE } from "./textStyle.js";

/**
 * Records a session's active sensors in tasks.json before its takes are indexed and detected, so
 * every stage (and every later run) reads them from there, as spec §2 wants them read: the date in
 * `tasks.<task>.dates`, then `per_date_notes.<date>.kind` and `active_sensors`, the keys and order
 * the metadata stage writes, which later adds the note and counts after them. Nothing is written when
 * the session already has active sensors (a person's value wins). Returns whether the file changed.
 */
export function recordActiveSensors(target: SessionTarget, sensors: readonly Side[]): boolean {
  const { tasksPath: path, task, date } = target;
  const file = readTasksFile(path);
  const data: JsonObject = structuredClone(file?.data ?? {});
  const problems = sessionEntryProblems(data, task, date);
  if (problems.length > 0) throw new ReportFileError(path, `${problems.join("; ")}; nothing was written`);
  const entry = (data.per_date_notes as JsonObject | undefined)?.[date] as JsonObject | undefined;
  if (entry?.active_sensors !== undefined) return false;
  const changes: TasksChange[] = [];
  const dateChange = sessionDateChange(data, task, date);
  if (dateChange) changes.push(dateChange);
  const active = [...sensors];
  if (entry === undefined)
    changes.push({
      op: "set",
      path: ["per_date_notes", date],
      value: { kind: sessionKind(active), active_sensors: active },
    });
  else {
    if (entry.kind === undefined)
      changes.push({ op: "set", path: ["per_date_notes", date, "kind"], value: sessionKind(active) });
    changes.push({ op: "set", path: ["per_date_notes", date, "active_sensors"], value: active });
  }
  const text = applyChanges(file?.text ?? "{}\n", data, changes, file?.style ?? NEW_FILE_STYLE);
  if (!isDeepStrictEqual(JSON.parse(text), data))
    throw new Error(`${path}: the edited text does not read back as intended; nothing was written`);
  mkdirSync(dirname(path), { recursive: true });
  writeFileAtomic(path, text);
  return true;
}
