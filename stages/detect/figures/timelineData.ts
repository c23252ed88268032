import type { Config } from "../../../config/index.js";
import { FrameClock } from "../../../detectors/frameClock.js";
import type { Interval } from "../../../detectors/intervals.js";
import { SENSOR_BODY, type Side, TACTILE_SIDES } from "../../../detectors/samples.js";
import { spikeThreshold } from "../../../detectors/spike.js";
import type { OtStream } from "../../../hw/h5/OtStream.js";
import { poseSamples } from "../../../hw/h5/otSamples.js";
import { PUBLISHED_LISTS, type PublishedList } from "../../../sinks/reports/index.js";
import type { EpisodeAnalysis } from "../analyseEpisode.js";
import { columnFrames, TIMELINE } from "./figureLayout.js";

/** OT state of a column, worst of its frames. */
export const OT_STATE = { valid: 0, invalid: 1, lost: 2 } as const;

/**
 * What a take's timeline shows, reduced to the plot's columns (JSON: cached beside detect's result,
 * so a session's unchanged takes are drawn again without reading their images).
 */
export interface TimelineData {
  readonly key: string;
  /** H5 frames of the take (the x axis), and the first frame kept after the trim. */
  readonly frames: number;
  readonly trimOffset: number;
  readonly durationS: number;
  readonly columns: number;
  /** Per body, per column: OT_STATE (no sample for ≥ tau_opt_gap_s is lost; an invalid sample is invalid). */
  readonly ot: Readonly<Record<string, readonly number[]>>;
  /** Per sensor side, per column: the largest speed (m/s) between consecutive valid OT samples; null = none. */
  readonly speed: Readonly<Record<Side, readonly (number | null)[]>>;
  readonly speedThreshold: number;
  /** Per side, per column: the largest tactile intensity; null for trimmed frames. */
  readonly intensity: Readonly<Record<Side, readonly (number | null)[]>>;
  /** The take's spike threshold per side (p99.9 of the running median + tau), null without frames. */
  readonly intensityThreshold: Readonly<Record<Side, number | null>>;
  /** Every published list's events, in H5 frames. */
  readonly lists: Readonly<Record<PublishedList, readonly Interval[]>>;
}

/** What the timeline reads of a take: its camera times and OT streams (the take's evidence has them). */
export interface TimelineSource {
  readonly frameCount: number;
  readonly bodies: readonly string[];
  timestamps(): Float64Array;
  ot(body: string): OtStream;
}

/**
 * A take's timeline from detect's analysis of it and its OT streams, taken from the evidence the
 * analysis read: a re-run opens no HDF5 file.
 */
export function timelineData(
  take: TimelineSource,
  analysis: EpisodeAnalysis,
  detect: Config["detect"],
): TimelineData {
  const { result, gel } = analysis;
  const ts = take.timestamps();
  const T = Math.max(1, take.frameCount);
  const W = TIMELINE.plotWidth;
  const clock = new FrameClock(ts);
  const columnOf = columnIndex(T, W);

  const ot: Record<string, number[]> = {};
  const speedByBody: Record<string, (number | null)[]> = {};
  for (const body of take.bodies) {
    const states = new Uint8Array(T);
    const speeds: (number | null)[] = new Array<number | null>(W).fill(null);
    const samples = [...poseSamples(take.ot(body), detect.invalidQuatNorm)].filter(
      (s, i, all) => i === 0 || s.t > (all[i - 1] as { t: number }).t,
    );
    const mark = (a: number, b: number, state: number) => {
      for (let k = Math.max(0, a); k <= Math.min(T - 1, b); k++)
        states[k] = Math.max(states[k] as number, state);
    };
    // Silence: before the first sample, between two, after the last, when it lasts ≥ tau_opt_gap_s.
    const times = [ts[0] as number, ...samples.map((s) => s.t), ts[T - 1] as number];
    for (let i = 1; i < times.length; i++) {
      const start = times[i - 1] as number;
      const end = times[i] as number;
      if (end - start < detect.otGapS) continue;
      const frames = clock.framesOf({ start, end, startOpen: i > 1 });
      if (frames) mark(frames[0], frames[1], OT_STATE.lost);
    }
    if (samples.length === 0) mark(0, T - 1, OT_STATE.lost);
    let previous: (typeof samples)[number] | undefined;
    for (const s of samples) {
      const k = Math.min(clock.frameOwning(s.t), T - 1);
      if (!s.valid) {
        mark(k, k, OT_STATE.invalid);
        continue;
      }
      if (previous) {
        const v =
          Math.hypot(
            s.position[0] - previous.position[0],
            s.position[1] - previous.position[1],
            s.position[2] - previous.position[2],
          ) /
          (s.t - previous.t);
        for (const c of columnOf(k)) speeds[c] = Math.max(speeds[c] ?? 0, v);
      }
      previous = s;
    }
    ot[body] = worstPerColumn(states, W);
    speedByBody[body] = speeds;
  }

  const intensity = {} as Record<Side, (number | null)[]>;
  const intensityThreshold = {} as Record<Side, number | null>;
  for (const side of TACTILE_SIDES) {
    const values = gel[side].intensity;
    const column: (number | null)[] = new Array<number | null>(W).fill(null);
    values.forEach((v, i) => {
      for (const c of columnOf(i + result.trimOffset)) column[c] = Math.max(column[c] ?? 0, round(v));
    });
    intensity[side] = column;
    intensityThreshold[side] = values.length > 0 ? round(spikeThreshold(values, detect.spike)) : null;
  }

  const toH5 = (list: readonly Interval[]) =>
    list.map(([a, b]): Interval => [a + result.trimOffset, b + result.trimOffset]);
  return {
    key: result.key,
    frames: T,
    trimOffset: result.trimOffset,
    durationS: round((ts[T - 1] as number) - (ts[0] as number)),
    columns: W,
    ot,
    speed: Object.fromEntries(
      TACTILE_SIDES.map((side) => [
        side,
        (speedByBody[SENSOR_BODY[side]] ?? []).map((v) => (v === null ? null : round(v))),
      ]),
    ) as Record<Side, (number | null)[]>,
    speedThreshold: detect.teleport.velocityMps,
    intensity,
    intensityThreshold,
    lists: Object.fromEntries(PUBLISHED_LISTS.map((list) => [list, toH5(result.lists[list])])) as Record<
      PublishedList,
      Interval[]
    >,
  };
}

/** frame → the columns showing it (one, or several when the take has fewer frames than columns). */
function columnIndex(frames: number, width: number): (k: number) => number[] {
  const byFrame: number[][] = Array.from({ length: frames }, () => []);
  for (let c = 0; c < width; c++) {
    const [lo, hi] = columnFrames(c, frames, width);
    for (let k = lo; k <= hi; k++) byFrame[k]?.push(c);
  }
  return (k) => byFrame[k] ?? [];
}

function worstPerColumn(states: Uint8Array, width: number): number[] {
  return Array.from({ length: width }, (_, c) => {
    const [lo, hi] = columnFrames(c, states.length, width);
    let worst = 0;
    for (let k = lo; k <= hi; k++) worst = Math.max(worst, states[k] as number);
    return worst;
  });
}

const round = (v: number) => Math.round(v * 1000) / 1000;
