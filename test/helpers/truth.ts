import { readFileSync } from "node:fs";
import type { Interval } from "../../detectors/intervals.js";
import { mergeIntervals, padIntervals, trimIntervals } from "../../detectors/intervals.js";
import type { PublishedList } from "../../sinks/reports/index.js";

/** A truth file as the fixture README defines it: raw, unpadded, H5 (pre-trim) frame ranges. */
export interface Truth {
  readonly T: number;
  readonly trim_offset: number;
  readonly active_sensors: readonly string[];
  readonly events: readonly {
    readonly mode: string;
    readonly kind?: string;
    readonly body?: string;
    readonly side?: string;
    readonly start: number;
    readonly end: number;
    readonly bad: boolean;
  }[];
}

export function readTruth(path: string): Truth {
  return JSON.parse(readFileSync(path, "utf8")) as Truth;
}

const SIDE_SUFFIX: Record<string, "L" | "R"> = { left: "L", right: "R", sensor_left: "L", sensor_right: "R" };

/**
 * The published lists a truth file implies (fixture README): spikes and teleports widened by the
 * buffer and merged, OT loss and stalls unpadded, all re-indexed after the trim.
 */
export function expectedLists(truth: Truth, buffer = 3): Record<PublishedList, Interval[]> {
  const pick = (mode: string, suffix?: "L" | "R") =>
    truth.events
      .filter(
        (e) =>
          e.bad &&
          e.mode === mode &&
          (suffix === undefined || SIDE_SUFFIX[e.body ?? e.side ?? ""] === suffix),
      )
      .map((e): Interval => [e.start, e.end]);
  const padded = (list: Interval[]) => trimIntervals(padIntervals(list, buffer, truth.T), truth.trim_offset);
  const plain = (list: Interval[]) => trimIntervals(mergeIntervals(list), truth.trim_offset);
  return {
    intensity_spikes: padded(pick("intensity_spike")),
    pose_teleports_L: padded(pick("teleport", "L")),
    pose_teleports_R: padded(pick("teleport", "R")),
    ot_loss_L: plain(pick("ot_loss", "L")),
    ot_loss_R: plain(pick("ot_loss", "R")),
    pipeline_stall: plain(pick("pipeline_stall")),
  };
}
