import { join } from "node:path";
import { readFreezeRecords } from "../detect/freezeRecords.js";
import { REPORT_FILES } from "../detect/runDetect.js";
import { type BadFramesReport, readBadFrames } from "../metadata/readBadFrames.js";
import type { FreezeRecord } from "../../sinks/reports/index.js";
import type { DetectFindings } from "./detectLogEntries.js";

/** detect's reports in one folder, read once for every take exported from it. */
export class ReportFindings {
  private constructor(
    private readonly badFrames: BadFramesReport | undefined,
    private readonly freezes: readonly FreezeRecord[],
  ) {}

  /** Reads `bad_frames.json` and `freeze_intervals.json`; missing files mean no findings, a broken one is an error. */
  static read(dir: string): ReportFindings {
    return new ReportFindings(
      readBadFrames(join(dir, REPORT_FILES.badFrames)),
      readFreezeRecords(join(dir, REPORT_FILES.freezes)),
    );
  }

  /** The take's findings, or undefined when the reports do not cover it. */
  of(key: string): DetectFindings | undefined {
    const badFrames = this.badFrames?.episodes.get(key);
    const trimOffset = this.badFrames?.trimOffsets.get(key);
    if (badFrames === undefined || trimOffset === undefined) return undefined;
    return { badFrames, trimOffset, freezes: this.freezes.filter((f) => f.episode === key) };
  }
}
