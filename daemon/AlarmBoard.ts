import type { Alarm } from "../detectors/alarm.js";

/** Alarms raised and not yet cleared: what a page that connects now must show first. */
export class AlarmBoard {
  private readonly raised = new Map<string, Alarm>();

  apply(alarm: Alarm): void {
    if (alarm.state === "raised") this.raised.set(alarm.id, alarm);
    else this.raised.delete(alarm.id);
  }

  active(): Alarm[] {
    return [...this.raised.values()];
  }
}
