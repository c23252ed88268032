import { EpisodeError } from "./errors.js";
import { TIMESTAMPS } from "./layout.js";

/**
 * The longest gap between two camera ticks of one take that is still a take: a recorder stalled
 * longer than an hour has not recorded one take. A larger step is a time that cannot be right (1e300,
 * a zero before Unix times), which would otherwise stretch one frame over centuries.
 */
export const MAX_TICK_GAP_S = 3600;

/**
 * Camera tick times must be finite, strictly increasing and without absurd steps: they define the
 * frames, so a frame without a time (or two frames at one time) cannot be placed. A recorder fault to
 * report, not to hide: `bad_timestamps`, never corrupt (the frames themselves are whole).
 */
export function requireCameraTimes(path: string, timestamps: Float64Array): void {
  for (let i = 0; i < timestamps.length; i++) {
    const t = timestamps[i] as number;
    if (!Number.isFinite(t))
      throw new EpisodeError("bad_timestamps", path, TIMESTAMPS, `frame ${i} has no valid time (${t})`);
    if (i === 0) continue;
    const step = t - (timestamps[i - 1] as number);
    if (!(step > 0))
      throw new EpisodeError("bad_timestamps", path, TIMESTAMPS, `not increasing at frame ${i}`);
    if (step > MAX_TICK_GAP_S)
      throw new EpisodeError(
        "bad_timestamps",
        path,
        TIMESTAMPS,
        `frame ${i} is ${step.toPrecision(3)} s after frame ${i - 1} (over ${MAX_TICK_GAP_S} s: not a time of this take)`,
      );
  }
}
