import type { Alarm } from "../detectors/alarm.js";

/** One alarm's life on the page: raised, then cleared (by the daemon, or unseen while away). */
export interface AlarmEntry {
  readonly id: string;
  readonly raised: Alarm | undefined;
  cleared: Alarm | undefined;
  /** Not raised any more after a reconnect, but the clear itself was never received. */
  clearedUnseen: boolean;
  /** The operator acknowledged it on this page: the sound stops, the banner stays until it clears. */
  acknowledged: boolean;
}

const HISTORY_LIMIT = 500;

/**
 * Alarms still raised and the history of all of them, newest first. Acknowledgement is local to the
 * page: the daemon's alarms are facts about the rig, not something a viewer can dismiss.
 */
export class AlarmLog {
  readonly #active = new Map<string, AlarmEntry>();
  readonly #history: AlarmEntry[] = [];
  #resync: Set<string> | undefined;

  apply(alarm: Alarm): void {
    this.#resync?.delete(alarm.id);
    const entry = this.#active.get(alarm.id);
    if (alarm.state === "raised") {
      // A snapshot after a reconnect repeats alarms the page already shows.
      if (entry) return;
      this.#add({
        id: alarm.id,
        raised: alarm,
        cleared: undefined,
        clearedUnseen: false,
        acknowledged: false,
      });
      this.#active.set(alarm.id, this.#history[0] as AlarmEntry);
      return;
    }
    if (entry) {
      entry.cleared = alarm;
      this.#active.delete(alarm.id);
    } else if (!this.#history.some((e) => e.id === alarm.id && e.cleared)) {
      this.#add({
        id: alarm.id,
        raised: undefined,
        cleared: alarm,
        clearedUnseen: false,
        acknowledged: true,
      });
    }
  }

  /** A new connection's snapshot follows: the alarms it does not repeat were cleared meanwhile. */
  beginResync(): void {
    this.#resync = new Set(this.#active.keys());
  }

  endResync(): void {
    for (const id of this.#resync ?? []) {
      const entry = this.#active.get(id);
      if (entry) entry.clearedUnseen = true;
      this.#active.delete(id);
    }
    this.#resync = undefined;
  }

  acknowledgeActive(): void {
    for (const entry of this.#active.values()) entry.acknowledged = true;
  }

  /** Raised critical alarms, oldest first: the banner's lines. */
  activeCritical(): AlarmEntry[] {
    return [...this.#active.values()].filter((e) => e.raised?.severity === "critical");
  }

  /** Raised alarms below critical (warnings), oldest first. */
  activeOther(): AlarmEntry[] {
    return [...this.#active.values()].filter((e) => e.raised?.severity !== "critical");
  }

  /** The alert sounds while a critical alarm is raised and not acknowledged. */
  get needsAttention(): boolean {
    return this.activeCritical().some((e) => !e.acknowledged);
  }

  get history(): readonly AlarmEntry[] {
    return this.#history;
  }

  #add(entry: AlarmEntry): void {
    this.#history.unshift(entry);
    if (this.#history.length > HISTORY_LIMIT) this.#history.length = HISTORY_LIMIT;
  }
}
