import type { AlarmEvent, Severity } from "../../detectors/alarm.js";
import { toProtoTimestamp } from "./time.js";

/** foxglove.Log's levels (the schema's enum). */
export const LOG_LEVEL = { info: 2, warning: 3, error: 4 } as const;

/** One foxglove.Log before encoding: `t` is the source's Unix time of the event (recorder or Motive). */
export interface LogEntry {
  readonly t: number;
  readonly level: number;
  /** Who says it: `detect/<list>`, `detect/freeze`, `alarm/<kind>`. */
  readonly name: string;
  readonly message: string;
}

const SEVERITY_LEVEL: Readonly<Record<Severity, number>> = {
  info: LOG_LEVEL.info,
  warning: LOG_LEVEL.warning,
  critical: LOG_LEVEL.error,
};

/** A live alarm as a log entry at its source time; a cleared alarm is information. */
export function alarmLogEntry(alarm: AlarmEvent): LogEntry {
  const detail = Object.entries(alarm.detail)
    .map(([k, v]) => `${k}=${typeof v === "number" ? Number(v.toFixed(3)) : String(v)}`)
    .join(" ");
  return {
    t: alarm.t,
    level: alarm.state === "cleared" ? LOG_LEVEL.info : SEVERITY_LEVEL[alarm.severity],
    name: `alarm/${alarm.kind}`,
    message: `${alarm.state} ${alarm.id}${alarm.frame === undefined ? "" : ` frame ${alarm.frame}`}${detail ? ` ${detail}` : ""}`,
  };
}

/** The foxglove.Log message of an entry, ready for the schema's type to encode. */
export function logMessage(entry: LogEntry): object {
  return {
    timestamp: toProtoTimestamp(entry.t),
    level: entry.level,
    message: entry.message,
    name: entry.name,
  };
}
