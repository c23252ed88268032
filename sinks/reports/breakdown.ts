import type { Config } from "../../config/index.js";
import { frameCount, mergeIntervals } from "../../detectors/intervals.js";
import { thresholdsOf } from "./badFrames.js";
import type { EpisodeResult, PublishedList } from "./EpisodeResult.js";
import { round } from "./format.js";

/** Failure modes of the breakdown and the published lists each one unions. */
export const MODES: Readonly<Record<string, readonly PublishedList[]>> = {
  gelsight_led_flicker: ["intensity_spikes"],
  pose_teleport: ["pose_teleports_L", "pose_teleports_R"],
  ot_loss: ["ot_loss_L", "ot_loss_R"],
  pipeline_stall: ["pipeline_stall"],
};

export function modeFrames(result: EpisodeResult, lists: readonly PublishedList[]): number {
  return frameCount(mergeIntervals(lists.flatMap((list) => result.lists[list])));
}

/** `data_quality_breakdown.json` (spec §5). */
export function breakdownReport(results: readonly EpisodeResult[], detect: Config["detect"]) {
  const totalFrames = results.reduce((n, r) => n + r.nFrames, 0);
  const modes: Record<string, unknown> = {};
  for (const [mode, lists] of Object.entries(MODES)) {
    let frames = 0;
    let affected = 0;
    for (const r of results) {
      const n = modeFrames(r, lists);
      frames += n;
      if (n > 0) affected++;
    }
    modes[mode] = {
      frames,
      pct: totalFrames > 0 ? round((100 * frames) / totalFrames, 4) : 0,
      episodes_affected: affected,
    };
  }
  return { total_frames: totalFrames, n_episodes: results.length, modes, thresholds: thresholdsOf(detect) };
}
