import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { Config } from "../../config/index.js";
import { EpisodeError } from "../../hw/h5/index.js";
import { writeFileAtomic } from "../../sinks/atomicWrite.js";
import {
  badFramesReport,
  breakdownReport,
  type EpisodeResult,
  type FreezeRecord,
  qualityCsv,
  ReportFileError,
  reportJson,
  type UnreadableEpisode,
} from "../../sinks/reports/index.js";
import { analyseEpisode } from "./analyseEpisode.js";
import { activeSensorsFromTasks, datasetRoot, episodeKey } from "./datasetLayout.js";

export const REPORT_FILES = {
  badFrames: "bad_frames.json",
  freezes: "freeze_intervals.json",
  breakdown: "data_quality_breakdown.json",
  csv: "data_quality_report.csv",
} as const;

export interface DetectRun {
  readonly results: EpisodeResult[];
  readonly unreadable: (UnreadableEpisode & { error: EpisodeError })[];
}

export interface DetectOptions {
  readonly out: string;
  readonly detect: Config["detect"];
  readonly tasksPath?: string;
  readonly onEpisode?: (key: string, result: EpisodeResult | EpisodeError) => void;
}

/**
 * `rigwatch detect`: analyses every episode and writes the four reports of spec §5, each atomically.
 * Manual verdicts already in freeze_intervals.json are read first and honoured. Reports cover exactly
 * the episodes of this run, sorted by key, so a re-run over unchanged inputs is byte-identical.
 */
export async function runDetect(paths: readonly string[], options: DetectOptions): Promise<DetectRun> {
  const previousFreezes = readPreviousFreezes(join(options.out, REPORT_FILES.freezes));
  const results: EpisodeResult[] = [];
  const unreadable: DetectRun["unreadable"] = [];
  for (const path of paths) {
    const key = episodeKey(path);
    const root = datasetRoot(path);
    const tasksPath = options.tasksPath ?? (root === undefined ? undefined : join(root, "tasks.json"));
    try {
      const { result } = await analyseEpisode(path, {
        key,
        detect: options.detect,
        activeSensors: activeSensorsFromTasks(tasksPath, basename(dirname(path))),
        previousFreezes,
      });
      results.push(result);
      options.onEpisode?.(key, result);
    } catch (error) {
      if (!(error instanceof EpisodeError)) throw error;
      unreadable.push({ key, integrity: error.code, error });
      options.onEpisode?.(key, error);
    }
  }
  results.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  mkdirSync(options.out, { recursive: true });
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
  return { results, unreadable };
}

const MANUAL_VERDICTS = new Set([null, "keep", "cut", "merge"]);

/**
 * The previous run's freeze records, for the manual verdicts people wrote into them. A file that is
 * not what detect wrote stops the run before anything is overwritten: those verdicts are someone's work.
 */
function readPreviousFreezes(path: string): FreezeRecord[] {
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
