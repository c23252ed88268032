import { ReportFileError } from "../../../sinks/reports/index.js";

/** A report read for a check: its value, or why it cannot be used ("missing", the reader's error). */
export type ReportRead<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly why: string };

export function readReport<T>(path: string, read: (path: string) => T | undefined): ReportRead<T> {
  try {
    const value = read(path);
    return value === undefined ? { ok: false, why: "missing" } : { ok: true, value };
  } catch (error) {
    if (!(error instanceof ReportFileError)) throw error;
    return { ok: false, why: error.message.slice(`${path}: `.length) };
  }
}
