import type { AlarmEvent, AlarmKind } from "../../detectors/alarm.js";
import type { FrameClock } from "../../detectors/frameClock.js";
import type { Interval } from "../../detectors/intervals.js";
import type { EpisodeResult, PublishedList } from "../../sinks/reports/index.js";

export interface ModeComparison {
  readonly list: PublishedList;
  readonly offlineEvents: number;
  /** Offline events with a live alarm of the list's kinds raised inside them (or within the padding). */
  readonly caught: number;
  /** Offline events with a critical one among them: what the operator heard. */
  readonly caughtCritical: number;
  /** Live alarms raised outside every offline event of the list. */
  readonly liveOnly: number;
  /** The critical ones among them: the nuisance alarms, an alarm that sounds for nothing. */
  readonly liveOnlyCritical: number;
  /** Per caught event, frames from its first frame to its first live alarm, ascending. */
  readonly latencyFrames: readonly number[];
  /** The same to its first critical alarm, over the events caught by one. */
  readonly criticalLatencyFrames: readonly number[];
}

/** The live alarms that stand for each published list. A held pose is the OT-loss list's warning. */
const LIST_ALARMS: Readonly<
  Record<PublishedList, { kinds: readonly AlarmKind[]; subject?: string; padded: boolean }>
> = {
  intensity_spikes: { kinds: ["intensity_spike"], padded: true },
  pose_teleports_L: { kinds: ["teleport"], subject: "sensor_left", padded: true },
  pose_teleports_R: { kinds: ["teleport"], subject: "sensor_right", padded: true },
  ot_loss_L: { kinds: ["ot_loss", "held"], subject: "sensor_left", padded: false },
  ot_loss_R: { kinds: ["ot_loss", "held"], subject: "sensor_right", padded: false },
  pipeline_stall: { kinds: ["pipeline_stall"], padded: false },
};

/**
 * How the live alarms of a replay compare with the offline result of the same take (post-trim frames):
 * what live caught, what it missed, what it raised that offline did not keep, and how late it was.
 * Unpadded lists (OT loss, stalls) accept an alarm within the report padding of an event: the live
 * rules confirm a moment later than the frames they flag.
 */
export function compareLive(
  alarms: readonly AlarmEvent[],
  result: EpisodeResult,
  clock: FrameClock,
  pad: number,
): ModeComparison[] {
  return (Object.keys(LIST_ALARMS) as PublishedList[]).map((list) => {
    const { kinds, subject, padded } = LIST_ALARMS[list];
    const raised = alarms
      .filter(
        (a) =>
          a.state === "raised" && kinds.includes(a.kind) && (subject === undefined || a.subject === subject),
      )
      .map((a) => ({
        frame: (a.frame ?? clock.frameOwning(a.t)) - result.trimOffset,
        critical: a.severity === "critical",
      }))
      .filter((a) => a.frame >= 0);
    const events = result.lists[list];
    const slack = padded ? 0 : pad;
    const inside = (f: number, [a, b]: Interval) => f >= a - slack && f <= b + slack;
    const latencyFrames: number[] = [];
    const criticalLatencyFrames: number[] = [];
    for (const event of events) {
      const start = event[0] + (padded ? pad : 0);
      const within = raised.filter((a) => inside(a.frame, event));
      const first = Math.min(...within.map((a) => a.frame));
      const firstCritical = Math.min(...within.filter((a) => a.critical).map((a) => a.frame));
      if (Number.isFinite(first)) latencyFrames.push(Math.max(0, first - start));
      if (Number.isFinite(firstCritical)) criticalLatencyFrames.push(Math.max(0, firstCritical - start));
    }
    const outside = raised.filter((a) => !events.some((e) => inside(a.frame, e)));
    return {
      list,
      offlineEvents: events.length,
      caught: latencyFrames.length,
      caughtCritical: criticalLatencyFrames.length,
      liveOnly: outside.length,
      liveOnlyCritical: outside.filter((a) => a.critical).length,
      latencyFrames: latencyFrames.sort((x, y) => x - y),
      criticalLatencyFrames: criticalLatencyFrames.sort((x, y) => x - y),
    };
  });
}
