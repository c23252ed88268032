/** Alarms are events with a raised / cleared state; every sink receives the same objects. */

export const ALARM_KINDS = [
  "ot_loss",
  /** A pose held for the freeze threshold, not (yet) judged an OT loss: a warning, no sound. */
  "held",
  "teleport",
  "intensity_spike",
  "pipeline_stall",
  "stream_stale",
  "start_gate",
  "watchdog",
  "drift",
  /** rigwatch's own fault: a detector or sink threw and was reset (the subject names what). */
  "internal_error",
  /** The daemon refused a path an input named for its stages (not a recording under its data roots). */
  "stage_refused",
  /** The daemon could not hand a session to its stage queue (`stages.queue`): it ran on its own pool. */
  "stage_queue",
] as const;
export type AlarmKind = (typeof ALARM_KINDS)[number];
export type AlarmState = "raised" | "cleared";
export type Severity = "info" | "warning" | "critical";

export interface Alarm {
  readonly type: "alarm";
  /** Stable for a raised/cleared pair: `${kind}:${subject}:${n}`. */
  readonly id: string;
  readonly kind: AlarmKind;
  readonly state: AlarmState;
  readonly severity: Severity;
  /** Body, side, camera or stream the alarm is about. */
  readonly subject: string;
  /** Source time of the evidence, seconds. */
  readonly t: number;
  /** Camera frame where known. */
  readonly frame?: number;
  /** Wall-clock ISO time the alarm was stamped on its way out (detectors have no clock). */
  readonly at: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

/** What a pure detector emits: an alarm before it is stamped with wall-clock time. */
export type AlarmEvent = Omit<Alarm, "at">;

export function stampAlarm(event: AlarmEvent, at: Date): Alarm {
  return { ...event, at: at.toISOString() };
}
