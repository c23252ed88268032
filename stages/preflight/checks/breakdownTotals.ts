import { frameCount } from "../../../detectors/intervals.js";
import { MODES } from "../../../sinks/reports/index.js";
import type { BadFramesReport } from "../../metadata/index.js";
import type { DatasetContents } from "../DatasetContents.js";
import { type PreflightItem, preflightItem } from "../PreflightReport.js";
import type { Breakdown } from "../readBreakdown.js";
import type { ReportRead } from "./readReport.js";

/**
 * Spec §8: data_quality_breakdown.json matches the totals. Everything is recomputed from
 * bad_frames.json's episodes: its summary, then the breakdown's totals and, per failure mode, the
 * frames (union of the mode's lists per episode) and episodes affected. Two reports from different
 * detect runs, or an edited one, disagree here.
 */
export function checkBreakdownTotals(
  dataset: DatasetContents,
  paths: { readonly badFrames: string; readonly breakdown: string },
  badFrames: ReportRead<BadFramesReport>,
  breakdown: ReportRead<Breakdown>,
): PreflightItem {
  const problems = new Map<string, string>();
  if (!badFrames.ok) problems.set(dataset.rel(paths.badFrames), badFrames.why);
  if (!breakdown.ok) problems.set(dataset.rel(paths.breakdown), breakdown.why);
  if (badFrames.ok && breakdown.ok) {
    const episodes = [...badFrames.value.episodes.values()];
    const frames = episodes.reduce((n, e) => n + e.nFrames, 0);
    const bad = episodes.reduce((n, e) => n + e.totalBadFrames, 0);
    const { summary } = badFrames.value;
    const own = mismatches([
      ["summary.total_frames", summary.totalFrames, frames, "the episodes' n_frames add up to"],
      ["summary.n_episodes", summary.nEpisodes, episodes.length, "episodes holds"],
      ["summary.total_bad_frames", summary.totalBadFrames, bad, "the episodes' total_bad_frames add up to"],
    ]);
    if (own.length > 0) problems.set(dataset.rel(paths.badFrames), own.join("; "));
    const checks: [string, number, number, string][] = [
      ["total_frames", breakdown.value.totalFrames, frames, "bad_frames.json's episodes have"],
      ["n_episodes", breakdown.value.nEpisodes, episodes.length, "bad_frames.json has"],
    ];
    for (const [mode, lists] of Object.entries(MODES)) {
      const perEpisode = episodes.map((e) => frameCount(lists.flatMap((list) => e.lists[list])));
      const got = breakdown.value.modes[mode] as Breakdown["modes"][string];
      checks.push([`modes.${mode}.frames`, got.frames, sum(perEpisode), "bad_frames.json's lists give"]);
      checks.push([
        `modes.${mode}.episodes_affected`,
        got.episodesAffected,
        perEpisode.filter((n) => n > 0).length,
        "bad_frames.json's lists give",
      ]);
    }
    const theirs = mismatches(checks);
    if (theirs.length > 0) problems.set(dataset.rel(paths.breakdown), theirs.join("; "));
  }
  return preflightItem(
    "breakdown_totals",
    "data_quality_breakdown.json matches bad_frames.json's totals",
    problems,
    "run `rigwatch detect` once over the whole dataset: both reports come from the same run",
  );
}

function mismatches(checks: readonly (readonly [string, number, number, string])[]): string[] {
  return checks
    .filter(([, found, expected]) => found !== expected)
    .map(([key, found, expected, source]) => `${key} is ${found}, ${source} ${expected}`);
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
