import type { Alarm, AlarmKind } from "../../detectors/alarm.js";
import type { FrameClock } from "../../detectors/frameClock.js";
import type { Interval } from "../../detectors/intervals.js";
import type { EpisodeResult, PublishedList } from "../../sinks/reports/index.js";

export interface ModeComparison {
  readonly list: PublishedList;
  readonly offlineEvents: number;
  /** Offline events with a live alarm raised inside them (or within the padding). */
  readonly matched: number;
  /** Live alarms raised outside every offline event of the list. */
  readonly liveOnly: number;
  /** Frames from each matched event's first frame to its first live alarm: median, max. */
  readonly latencyFramesMedian: number | null;
  readonly latencyFramesMax: number | null;
}

const LIST_ALARMS: Readonly<Record<PublishedList, { kind: AlarmKind; subject?: string; padded: boolean }>> = {
  intensity_spikes: { kind: "intensity_spike", padded: true },
  pose_teleports_L: { kind: "teleport", subject: "sensor_left", padded: true },
  pose_teleports_R: { kind: "teleport", subject: "sensor_right", padded: true },
  ot_loss_L: { kind: "ot_loss", subject: "sensor_left", padded: false },
  ot_loss_R: { kind: "ot_loss", subject: "sensor_right", padded: false },
  pipeline_stall: { kind: "pipeline_stall", padded: false },
};

/**
 * How the live alarms of a replay compare with the offline result of the same take (post-trim frames):
 * what live caught, what it missed, what it raised that offline did not keep, and how late it was.
 */
export function compareLive(
  alarms: readonly Alarm[],
  result: EpisodeResult,
  clock: FrameClock,
  pad: number,
): ModeComparison[] {
  return (Object.keys(LIST_ALARMS) as PublishedList[]).map((list) => {
    const { kind, subject, padded } = LIST_ALARMS[list];
    const frames = alarms
      .filter(
        (a) => a.state === "raised" && a.kind === kind && (subject === undefined || a.subject === subject),
      )
      .map((a) => (a.frame ?? clock.frameOwning(a.t)) - result.trimOffset)
      .filter((f) => f >= 0);
    const events = result.lists[list];
    const slack = padded ? 0 : pad;
    const inside = (f: number, [a, b]: Interval) => f >= a - slack && f <= b + slack;
    const latencies: number[] = [];
    for (const event of events) {
      const first = frames.filter((f) => inside(f, event)).sort((x, y) => x - y)[0];
      if (first !== undefined) latencies.push(Math.max(0, first - (event[0] + (padded ? pad : 0))));
    }
    latencies.sort((x, y) => x - y);
    return {
      list,
      offlineEvents: events.length,
      matched: latencies.length,
      liveOnly: frames.filter((f) => !events.some((e) => inside(f, e))).length,
      latencyFramesMedian: latencies.length ? (latencies[(latencies.length - 1) >> 1] as number) : null,
      latencyFramesMax: latencies.length ? (latencies[latencies.length - 1] as number) : null,
    };
  });
}
