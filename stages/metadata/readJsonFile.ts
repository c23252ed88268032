import { ReportFileError } from "../../sinks/reports/index.js";
import { readTextIfExists } from "./readTextIfExists.js";

/** A report file's JSON value; undefined when the file does not exist. */
export function readJsonFile(path: string): unknown {
  const text = readTextIfExists(path);
  return text === undefined ? undefined : parseJsonText(path, text);
}

/** `text` (read from `path`) as JSON; a ReportFileError naming the file when it is not. */
export function parseJsonText(path: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ReportFileError(path, `not valid JSON (${(error as Error).message})`);
  }
}
