import { readFileSync } from "node:fs";
import { ReportFileError } from "../../sinks/reports/index.js";

/** A report file's JSON value; undefined when the file does not exist. */
export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ReportFileError(path, `not valid JSON (${(error as Error).message})`);
  }
}
