import { ReportFileError } from "../../sinks/reports/index.js";
import { readTextIfExists } from "./readTextIfExists.js";

/** A report file's JSON value; undefined when the file does not exist. */
export function readJsonFile(path: string): unknown {
  const text = readTextIfExists(path);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ReportFileError(path, `not valid JSON (${(error as Error).message})`);
  }
}
