import { TACTILE_SIDES } from "../../detectors/samples.js";
import { describeJson } from "./describeJson.js";
import { isJsonObject, type JsonObject } from "./Json.js";

const STRING_FIELDS = ["kind", "note", "generated_note"] as const;

/**
 * What is wrong with the types of the entries of one session in a tasks.json whose top level is
 * already checked (readTasksFile): `tasks.<task>`, its `dates`, `per_date_notes.<date>` and the
 * fields rigwatch reads there. Each message names the key. Missing entries are not problems here.
 */
export function sessionEntryProblems(data: JsonObject, task: string, date: string): string[] {
  const problems: string[] = [];
  const taskEntry = (data.tasks as JsonObject | undefined)?.[task];
  if (taskEntry !== undefined) {
    if (!isJsonObject(taskEntry))
      problems.push(`tasks.${task} must be an object, found ${describeJson(taskEntry)}`);
    else if (taskEntry.dates !== undefined) {
      if (!Array.isArray(taskEntry.dates))
        problems.push(
          `tasks.${task}.dates must be an array of dates, found ${describeJson(taskEntry.dates)}`,
        );
      else
        taskEntry.dates.forEach((d, i) => {
          if (typeof d !== "string")
            problems.push(`tasks.${task}.dates[${i}] must be a date string, found ${describeJson(d)}`);
        });
    }
  }
  const entry = (data.per_date_notes as JsonObject | undefined)?.[date];
  if (entry === undefined) return problems;
  if (!isJsonObject(entry))
    return [...problems, `per_date_notes.${date} must be an object, found ${describeJson(entry)}`];
  for (const field of STRING_FIELDS)
    if (entry[field] !== undefined && typeof entry[field] !== "string")
      problems.push(`per_date_notes.${date}.${field} must be a string, found ${describeJson(entry[field])}`);
  const sensors = entry.active_sensors;
  if (
    sensors !== undefined &&
    (!Array.isArray(sensors) || sensors.some((s) => !(TACTILE_SIDES as readonly unknown[]).includes(s)))
  )
    problems.push(
      `per_date_notes.${date}.active_sensors must list "left" and/or "right", found ${JSON.stringify(sensors)}`,
    );
  return problems;
}
