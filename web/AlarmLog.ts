import type { Alarm } from "../detectors/alarm.js";
import type { HistoryMessage } from "../daemon/hubMessages.js";

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

  /**
   * The journal's history, sent in every snapshot: it replaces what the page had (a reload starts
   * with it; a reconnect gets what happened while away). An alarm of an earlier daemon run is keyed
   * by its run (ids count from 1 in every run); one that never cleared ended with its run.
   */
  loadHistory(message: HistoryMessage): void {
    const before = new Map(this.#history.map((e) => [e.id, e]));
    const byKey = new Map<string, AlarmEntry>();
    const history: AlarmEntry[] = [];
    for (const { run, alarm } of message.entries) {
      const id = run === message.run ? alarm.id : `${run}/${alarm.id}`;
      const entry = byKey.get(id);
      if (alarm.state === "cleared" && entry) {
        entry.cleared = alarm;
        continue;
      }
      if (entry) continue; // the same raise twice: the journal stores each once, but be safe
      const added: AlarmEntry = {
        id,
        raised: alarm.state === "raised" ? alarm : undefined,
        cleared: alarm.state === "cleared" ? alarm : undefined,
        clearedUnseen: false,
        acknowledged: alarm.state === "cleared" || (before.get(id)?.acknowledged ?? false),
      };
      byKey.set(id, added);
      history.unshift(added);
    }
    this.#active.clear();
    for (const entry of history) {
      if (entry.cleared) continue;
      if (entry.id.includes("/")) {
        entry.clearedUnseen = true; // raised in an earlier run that ended before it cleared
        entry.acknowledged = true;
      } else {
        this.#active.set(entry.id, entry);
      }
    }
    this.#history.length = 0;
    this.#history.push(...history.slice(0, HISTORY_LIMIT));
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
