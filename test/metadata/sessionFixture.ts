import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { defaultConfig } from "../../config/index.js";
import type { Interval } from "../../detectors/intervals.js";
import {
  badFramesReport,
  breakdownReport,
  type EpisodeResult,
  PUBLISHED_LISTS,
  type PublishedList,
  qualityCsv,
  reportJson,
  type UnreadableEpisode,
} from "../../sinks/reports/index.js";

const detect = defaultConfig().detect;

/** An analysed episode as detect's pass returns it: 30 fps, both sides active, no fault, unless overridden. */
export function episodeResult(
  key: string,
  overrides: Partial<Omit<EpisodeResult, "lists">> & {
    lists?: Partial<Record<PublishedList, Interval[]>>;
  } = {},
): EpisodeResult {
  const { lists, ...rest } = overrides;
  return {
    key,
    fps: 30,
    nFrames: 300,
    preTrimFrames: (rest.nFrames ?? 300) + (rest.trimOffset ?? 0),
    trimOffset: 0,
    trimReason: "none",
    activeSensors: ["left", "right"],
    activeSource: "detected",
    lists: { ...Object.fromEntries(PUBLISHED_LISTS.map((l) => [l, []])), ...lists } as Record<
      PublishedList,
      Interval[]
    >,
    freezes: [],
    drift: { left: 1.2, right: 0.8 },
    driftWarning: false,
    integrity: "ok",
    warnings: [],
    ...rest,
  };
}

/** detect's four reports for these results, written by detect's own report writers. */
export function writeReports(
  root: string,
  results: EpisodeResult[],
  unreadable: UnreadableEpisode[] = [],
): void {
  const dir = join(root, "figures", "dataset_figures");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "bad_frames.json"), reportJson(badFramesReport(results, detect)));
  writeFileSync(join(dir, "freeze_intervals.json"), reportJson([]));
  writeFileSync(join(dir, "data_quality_breakdown.json"), reportJson(breakdownReport(results, detect)));
  writeFileSync(join(dir, "data_quality_report.csv"), qualityCsv(results, unreadable));
}

/**
 * Session folder `root/data/<task>/<date>/` with stand-in episode files: metadata only lists the
 * names, it never opens them.
 */
export function sessionFolder(root: string, task: string, date: string, names: readonly string[]): string {
  const dir = join(root, "data", task, date);
  mkdirSync(dir, { recursive: true });
  for (const name of names) writeFileSync(join(dir, name), "");
  return dir;
}
