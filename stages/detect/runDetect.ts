import { makeOutputDir } from "../../sinks/OutputWriteError.js";
import { join } from "node:path";
import type { Config } from "../../config/index.js";
import { EpisodeError } from "../../hw/h5/errors.js";
import { writeFileAtomic } from "../../sinks/atomicWrite.js";
import {
  badFramesReport,
  breakdownReport,
  type EpisodeResult,
  qualityCsv,
  reportJson,
  type UnreadableEpisode,
} from "../../sinks/reports/index.js";
import { EvidenceCache } from "../analysis/index.js";
import { analyseEvidence } from "./analyseEpisode.js";
import { datasetEpisodes, datasetRoot, episodeKey } from "../dataset/index.js";
import { declaredActiveSensors } from "./declaredSensors.js";
import { ResultCache } from "./resultCache.js";
import { readFreezeRecords } from "./freezeRecords.js";
import { type TimelineData, TimelineCache, timelineData, writeDatasetFigures } from "./figures/index.js";

export const REPORT_FILES = {
  badFrames: "bad_frames.json",
  freezes: "freeze_intervals.json",
  breakdown: "data_quality_breakdown.json",
  csv: "data_quality_report.csv",
} as const;

export interface DetectRun {
  readonly results: EpisodeResult[];
  readonly unreadable: (UnreadableEpisode & { error: EpisodeError })[];
  /** The figures drawn beside the reports, relative to `out` (quality breakdown, one timeline per take). */
  readonly figures: readonly string[];
}

export interface DetectOptions {
  readonly out: string;
  readonly detect: Config["detect"];
  readonly tasksPath?: string;
  /**
   * The reports are the dataset's (figures/dataset_figures): cover every episode of the dataset the
   * paths belong to, each session's unchanged episodes from their cached results.
   */
  readonly datasetWide?: boolean;
  readonly onEpisode?: (key: string, result: EpisodeResult | EpisodeError) => void;
}

/**
 * `rigwatch detect`: analyses every episode and writes the four reports of spec §5, each atomically.
 * Manual verdicts already in freeze_intervals.json are read first and honoured. Reports cover exactly
 * the episodes of this run (with `datasetWide`, of the whole dataset), sorted by key, so a re-run over
 * unchanged inputs is byte-identical. Episodes of a dataset keep their result in their session's
 * `.rigwatch/detect/`, reused while the inputs are the same.
 */
export async function runDetect(paths: readonly string[], options: DetectOptions): Promise<DetectRun> {
  const previousFreezes = readFreezeRecords(join(options.out, REPORT_FILES.freezes));
  const results: EpisodeResult[] = [];
  const unreadable: DetectRun["unreadable"] = [];
  const timelines = new Map<string, TimelineData>();
  const root = paths[0] === undefined ? undefined : datasetRoot(paths[0]);
  const all =
    options.datasetWide && root !== undefined
      ? [...new Set([...paths, ...datasetEpisodes(root)])].sort()
      : paths;
  for (const path of all) {
    const key = episodeKey(path);
    const root = datasetRoot(path);
    try {
      const activeSensors = declaredActiveSensors(path, options.tasksPath);
      const verdicts = previousFreezes.filter((f) => f.episode === key);
      const cacheKey =
        root === undefined
          ? undefined
          : ResultCache.inputsKey(path, { detect: options.detect, activeSensors, verdicts });
      let result = cacheKey === undefined ? undefined : ResultCache.read(path, cacheKey);
      let timeline = cacheKey === undefined ? undefined : TimelineCache.read(path, cacheKey);
      if (!result || !timeline) {
        // One read of the evidence serves the analysis and the timeline: no HDF5 file is opened.
        const evidence = await EvidenceCache.open(path);
        try {
          const analysis = analyseEvidence(evidence, {
            key,
            detect: options.detect,
            activeSensors,
            previousFreezes,
          });
          result = analysis.result;
          timeline = timelineData(evidence, analysis, options.detect);
        } finally {
          evidence.close();
        }
        if (cacheKey !== undefined) {
          ResultCache.write(path, cacheKey, result);
          TimelineCache.write(path, cacheKey, timeline);
        }
      }
      results.push(result);
      timelines.set(key, timeline);
      options.onEpisode?.(key, result);
    } catch (error) {
      if (!(error instanceof EpisodeError)) throw error;
      unreadable.push({ key, integrity: error.code, error });
      options.onEpisode?.(key, error);
    }
  }
  results.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  makeOutputDir(options.out);
  writeFileAtomic(
    join(options.out, REPORT_FILES.badFrames),
    reportJson(badFramesReport(results, options.detect)),
  );
  writeFileAtomic(join(options.out, REPORT_FILES.freezes), reportJson(results.flatMap((r) => r.freezes)));
  writeFileAtomic(
    join(options.out, REPORT_FILES.breakdown),
    reportJson(breakdownReport(results, options.detect)),
  );
  writeFileAtomic(join(options.out, REPORT_FILES.csv), qualityCsv(results, unreadable));
  const figures = await writeDatasetFigures(options.out, results, timelines);
  return { results, unreadable, figures };
}
