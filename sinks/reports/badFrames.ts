import type { Config } from "../../config/index.js";
import { frameCount, mergeIntervals } from "../../detectors/intervals.js";
import { type EpisodeResult, PUBLISHED_LISTS } from "./EpisodeResult.js";
import { round } from "./format.js";

export function thresholdsOf(detect: Config["detect"]) {
  return {
    tau_intensity: detect.spike.tauIntensity,
    tau_velocity_mps: detect.teleport.velocityMps,
    tau_angular_rad_per_s: detect.teleport.angularRadS,
    tau_opt_gap_s: detect.otGapS,
    freeze_threshold_s: detect.freezeThresholdS,
    buffer_frames: detect.bufferFrames,
  };
}

/** Frames in any published list: what a training loader skips. */
export function badFrameCount(result: EpisodeResult): number {
  return frameCount(mergeIntervals(PUBLISHED_LISTS.flatMap((list) => result.lists[list])));
}

/** `bad_frames.json` (spec §5). */
export function badFramesReport(results: readonly EpisodeResult[], detect: Config["detect"]) {
  const episodes: Record<string, unknown> = {};
  const trimOffsets: Record<string, number> = {};
  let totalFrames = 0;
  let totalBad = 0;
  let withBad = 0;
  for (const r of results) {
    const bad = badFrameCount(r);
    totalFrames += r.nFrames;
    totalBad += bad;
    if (bad > 0) withBad++;
    trimOffsets[r.key] = r.trimOffset;
    const lists = Object.fromEntries(PUBLISHED_LISTS.map((list) => [list, r.lists[list]]));
    episodes[r.key] = {
      n_frames: r.nFrames,
      duration_s: round(r.nFrames / r.fps, 3),
      ...lists,
      total_bad_frames: bad,
      bad_fraction: r.nFrames > 0 ? round(bad / r.nFrames) : 0,
    };
  }
  return {
    ...thresholdsOf(detect),
    trim_offsets: trimOffsets,
    summary: {
      n_episodes: results.length,
      total_frames: totalFrames,
      total_bad_frames: totalBad,
      bad_fraction_overall: totalFrames > 0 ? round(totalBad / totalFrames) : 0,
      n_episodes_with_bad_frames: withBad,
    },
    episodes,
  };
}
