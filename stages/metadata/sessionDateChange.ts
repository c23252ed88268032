import type { JsonObject } from "./Json.js";
import type { TasksChange } from "./TasksChange.js";

/**
 * The edit that lists a session's date in `tasks.<task>.dates`, at its sorted place and once; none when
 * it is listed. The list is never re-ordered: a person's order stays, a new date goes before the first
 * later one. Shared by the metadata stage and the early record of a session's active sensors, so both
 * place a date alike.
 */
export function sessionDateChange(data: JsonObject, task: string, date: string): TasksChange | undefined {
  const dates = ((data.tasks as JsonObject | undefined)?.[task] as JsonObject | undefined)?.dates as
    string[] | undefined;
  if (dates === undefined) return { op: "set", path: ["tasks", task, "dates"], value: [date] };
  if (dates.includes(date)) return undefined;
  const later = dates.findIndex((d) => d > date);
  return {
    op: "insert",
    path: ["tasks", task, "dates"],
    index: later < 0 ? dates.length : later,
    value: date,
  };
}
