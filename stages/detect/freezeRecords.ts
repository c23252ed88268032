import { existsSync, readFileSync } from "node:fs";
import { type FreezeRecord, ReportFileError } from "../../sinks/reports/index.js";

const MANUAL_VERDICTS = new Set([null, "keep", "cut", "merge"]);

/**
 * The previous run's freeze records, for the manual verdicts people wrote into them. A file that is
 * not what detect wrote stops the run before anything is overwritten: those verdicts are someone's work.
 */
export function readFreezeRecords(path: string): FreezeRecord[] {
  if (!existsSync(path)) return [];
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new ReportFileError(
      path,
      `not valid JSON (${(error as Error).message}); fix or move it, then run detect again`,
    );
  }
  if (!Array.isArray(value)) throw new ReportFileError(path, "expected a JSON array of freeze records");
  value.forEach((record: Partial<FreezeRecord> | null, i) => {
    const where = `record ${i}${record?.episode ? ` (${record.episode} ${record.side})` : ""}`;
    if (
      record === null ||
      typeof record !== "object" ||
      typeof record.episode !== "string" ||
      typeof record.h5_a !== "number" ||
      typeof record.h5_b !== "number"
    ) {
      throw new ReportFileError(path, `${where}: expected episode, side, h5_a and h5_b`);
    }
    if (!MANUAL_VERDICTS.has(record.manual_verdict ?? null)) {
      throw new ReportFileError(
        path,
        `${where}: manual_verdict must be null, "keep", "cut" or "merge", found ${JSON.stringify(record.manual_verdict)}`,
      );
    }
  });
  return value as FreezeRecord[];
}
