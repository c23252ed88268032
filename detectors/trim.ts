import type { FrameClock } from "./frameClock.js";

export interface TrimConfig {
  readonly maxGapS: number;
  readonly steadyS: number;
  /** Steady OT starting within this long of the first camera frame leaves nothing to trim. */
  readonly startGraceS: number;
}

export type TrimReason = "none" | "ot_uninitialised" | "no_steady_ot";

export interface Trim {
  /** First kept camera frame; equals the frame count when nothing can be kept. */
  readonly trimOffset: number;
  readonly trimReason: TrimReason;
  readonly preTrimFrames: number;
}

/**
 * Start of the first stretch in which samples arrive with no gap over `maxGapS` for at least
 * `steadyS` (spec §2); undefined when the stream never gets steady. `times` are valid samples, sorted.
 */
export function steadyStart(times: ArrayLike<number>, config: TrimConfig): number | undefined {
  let runStart = 0;
  for (let i = 0; i < times.length; i++) {
    if (i > 0 && (times[i] as number) - (times[i - 1] as number) > config.maxGapS) runStart = i;
    if ((times[i] as number) - (times[runStart] as number) >= config.steadyS)
      return times[runStart] as number;
  }
  return undefined;
}

/**
 * Trim of the OT-uninitialised prefix: the first camera frame from which every active body streams
 * steadily. Takes have started while Motive was not yet streaming (spec §2, §9).
 */
export function computeTrim(
  clock: FrameClock,
  activeBodyTimes: readonly ArrayLike<number>[],
  config: TrimConfig,
): Trim {
  const preTrimFrames = clock.frameCount;
  let start = Number.NEGATIVE_INFINITY;
  for (const times of activeBodyTimes) {
    const s = steadyStart(times, config);
    if (s === undefined) return { trimOffset: preTrimFrames, trimReason: "no_steady_ot", preTrimFrames };
    start = Math.max(start, s);
  }
  const first = clock.timestamps[0] ?? start;
  const trimOffset =
    start <= first + config.startGraceS ? 0 : Math.min(clock.frameOwning(start), preTrimFrames);
  return { trimOffset, trimReason: trimOffset > 0 ? "ot_uninitialised" : "none", preTrimFrames };
}
