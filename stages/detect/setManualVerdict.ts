import { writeFileAtomic } from "../../sinks/atomicWrite.js";
import {
  type FreezeRecord,
  type ManualVerdict,
  ReportFileError,
  reportJson,
} from "../../sinks/reports/index.js";
import { readFreezeRecords } from "./freezeRecords.js";

export interface FreezeRef {
  /** `<date>/episode_NNN`. */
  readonly episode: string;
  readonly side: string;
  readonly h5: readonly [number, number];
}

export interface VerdictChange {
  readonly record: FreezeRecord;
  readonly previous: ManualVerdict | null;
}

/**
 * Sets a person's verdict on one freeze of freeze_intervals.json (spec §3: `keep`, `cut`, `merge`;
 * `null` takes it back). The file is rewritten atomically in detect's own format, so only that
 * record's line changes; the next detect honours the verdict. A freeze that is not in the file is
 * an error naming the file: a verdict must never land on the wrong event.
 */
export function setManualVerdict(file: string, ref: FreezeRef, verdict: ManualVerdict | null): VerdictChange {
  const records = readFreezeRecords(file);
  if (records.length === 0) throw new ReportFileError(file, "no freeze records here: run detect first");
  const i = records.findIndex(
    (r) => r.episode === ref.episode && r.side === ref.side && r.h5_a === ref.h5[0] && r.h5_b === ref.h5[1],
  );
  if (i < 0)
    throw new ReportFileError(
      file,
      `no freeze of ${ref.episode} ${ref.side} at H5 frames ${ref.h5[0]}-${ref.h5[1]} (the take was detected again since the clip was made?)`,
    );
  const previous = (records[i] as FreezeRecord).manual_verdict;
  const record = { ...(records[i] as FreezeRecord), manual_verdict: verdict };
  records[i] = record;
  writeFileAtomic(file, reportJson(records));
  return { record, previous };
}
