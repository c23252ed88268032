import { ReportFileError } from "../../sinks/reports/index.js";
import { readBadFrames } from "./readBadFrames.js";
import { readQualityCsv } from "./readQualityCsv.js";
import type { EpisodeFacts, SessionFacts } from "./SessionFacts.js";
import { sessionFiles } from "./sessionFiles.js";
import type { SessionTarget } from "./SessionTarget.js";

/**
 * The session as detect's reports describe it: bad_frames.json for frames, trims and the published
 * lists, data_quality_report.csv for active sensors, drift and unreadable files. Only the episode
 * files in the folder count. An episode the reports do not name (they predate it, or a detect run
 * did not cover it) stops the stage: a summary of part of a session would read as the whole.
 */
export function readSessionFacts(target: SessionTarget): SessionFacts {
  const rerun = `run \`rigwatch detect ${target.dateDir}\` first`;
  const badFrames = readBadFrames(target.badFramesPath);
  if (badFrames === undefined) throw new ReportFileError(target.badFramesPath, `not found; ${rerun}`);
  const csv = readQualityCsv(target.csvPath);
  if (csv === undefined) throw new ReportFileError(target.csvPath, `not found; ${rerun}`);

  const files = sessionFiles(target.dateDir);
  const episodes: EpisodeFacts[] = [];
  const unreadable: SessionFacts["unreadable"][number][] = [];
  const missing: string[] = [];
  for (const name of files.episodes) {
    const key = `${target.date}/${name}`;
    const report = badFrames.episodes.get(key);
    const row = csv.get(key);
    if (report === undefined) {
      if (row !== undefined && row.integrity !== "ok") unreadable.push({ name, integrity: row.integrity });
      else missing.push(key);
      continue;
    }
    if (row === undefined) throw new ReportFileError(target.csvPath, `no row for ${key}; ${rerun}`);
    const trimOffset = badFrames.trimOffsets.get(key);
    if (trimOffset === undefined)
      throw new ReportFileError(target.badFramesPath, `trim_offsets has no entry for ${key}; ${rerun}`);
    episodes.push({
      name,
      nFrames: report.nFrames,
      durationS: report.durationS,
      trimOffset,
      lists: report.lists,
      totalBadFrames: report.totalBadFrames,
      activeSensors: row.activeSensors,
      drift: row.drift,
      driftWarning: row.driftWarning,
    });
  }
  if (missing.length > 0)
    throw new ReportFileError(
      target.badFramesPath,
      `no entry for ${missing.join(", ")}: the reports predate these episodes or come from a detect run that did not cover them; ${rerun}`,
    );
  return { task: target.task, date: target.date, episodes, unreadable, quarantined: files.quarantined };
}
