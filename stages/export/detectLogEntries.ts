import { LOG_LEVEL, type LogEntry } from "../../sinks/foxglove/logEntry.js";
import { PUBLISHED_LISTS, type FreezeRecord } from "../../sinks/reports/index.js";
import type { BadFramesEpisode } from "../metadata/readBadFrames.js";

/** What detect's reports say about one take. */
export interface DetectFindings {
  readonly badFrames: BadFramesEpisode;
  readonly trimOffset: number;
  readonly freezes: readonly FreezeRecord[];
}

/** Lists a loader skips outright are errors; the others warnings (the frames are still flagged). */
const LIST_LEVEL: Readonly<Record<string, number>> = {
  ot_loss_L: LOG_LEVEL.error,
  ot_loss_R: LOG_LEVEL.error,
  pipeline_stall: LOG_LEVEL.error,
};

/**
 * detect's events of a take as log entries at the camera time of their first frame: every interval
 * of the published lists (post-trim frames, the H5 frames beside them) and every freeze candidate
 * with its verdict. Sorted by time, then by name, so two exports of a take are identical.
 */
export function detectLogEntries(findings: DetectFindings, timestamps: Float64Array): LogEntry[] {
  const timeOf = (h5: number) => timestamps[Math.min(Math.max(h5, 0), timestamps.length - 1)] as number;
  const entries: LogEntry[] = [];
  const off = findings.trimOffset;
  for (const list of PUBLISHED_LISTS) {
    for (const [a, b] of findings.badFrames.lists[list]) {
      entries.push({
        t: timeOf(a + off),
        level: LIST_LEVEL[list] ?? LOG_LEVEL.warning,
        name: `detect/${list}`,
        message: `${list}: frames ${a}–${b} (H5 ${a + off}–${b + off}), ${b - a + 1} frames`,
      });
    }
  }
  for (const f of findings.freezes) {
    const verdict = f.manual_verdict === null ? f.verdict : `${f.verdict}, manual ${f.manual_verdict}`;
    entries.push({
      t: timeOf(f.h5_a),
      level: f.verdict === "real_still" ? LOG_LEVEL.info : LOG_LEVEL.warning,
      name: "detect/freeze",
      message: `freeze ${f.side}: frames ${f.a}–${f.b} (H5 ${f.h5_a}–${f.h5_b}), ${f.length_s} s, verdict ${verdict}`,
    });
  }
  return entries.sort((x, y) => x.t - y.t || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
}
