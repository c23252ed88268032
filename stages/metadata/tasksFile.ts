import { ReportFileError } from "../../sinks/reports/index.js";
import { describeJson } from "./describeJson.js";
import { isJsonObject, type JsonObject } from "./Json.js";
import { parseJsonText } from "./readJsonFile.js";
import { detectTextStyle, type TextStyle } from "./textStyle.js";
import { readTextIfExists } from "./readTextIfExists.js";

/** `tasks.json` as read: its exact text (edits keep it), its value and its layout. */
export interface TasksFile {
  readonly path: string;
  readonly text: string;
  readonly data: JsonObject;
  readonly style: TextStyle;
}

/**
 * Reads `tasks.json` (undefined when there is none). A file that is not JSON, or whose `tasks` or
 * `per_date_notes` is not an object, is a ReportFileError: it is the data team's file, rigwatch
 * reports and never repairs it. JSON, not JSONC: detect and index read it with JSON.parse.
 */
export function readTasksFile(path: string): TasksFile | undefined {
  const text = readTextIfExists(path);
  if (text === undefined) return undefined;
  const data = parseJsonText(path, text);
  if (!isJsonObject(data))
    throw new ReportFileError(path, `expected a JSON object at the top level, found ${describeJson(data)}`);
  for (const key of ["tasks", "per_date_notes"])
    if (data[key] !== undefined && !isJsonObject(data[key]))
      throw new ReportFileError(path, `${key} must be an object, found ${describeJson(data[key])}`);
  return { path, text, data, style: detectTextStyle(text) };
}
