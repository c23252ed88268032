import type { AlarmEvent } from "../alarm.js";
import { AlarmLatch } from "./AlarmLatch.js";

export interface ComponentGuardOptions {
  /** The alarm clears once the reset component has worked this long (source time) without throwing. */
  readonly clearAfterS: number;
  /** Told of every contained throw, including those that do not raise (the alarm is already up). */
  readonly onFault?: (fault: ContainedFault) => void;
}

/** One contained fault, for the log and the counters. */
export interface ContainedFault {
  readonly subject: string;
  readonly component: string;
  readonly error: unknown;
  readonly t: number;
  /** Throws of this subject's component so far. */
  readonly count: number;
}

/** What the guard keeps of one subject's component. */
interface Guarded {
  readonly latch: AlarmLatch;
  count: number;
  /** Alarms the component raised and has not cleared, by id as sent. */
  readonly open: Map<string, AlarmEvent>;
  /** Added to the `n` of `kind:subject:n` ids: a reset component counts from 1 again. */
  readonly offsets: Map<string, number>;
  /** Highest `n` sent per `kind:subject`. */
  readonly highest: Map<string, number>;
}

/**
 * Contains a throw in one part of the live path (a body's tracker, a stream's detector, a sink):
 * the work runs in a try/catch; a throw raises a critical `internal_error` alarm naming the subject,
 * the component and the error, is counted, and that one component is reset, so every other body
 * and stream goes on being watched. The alarms the reset component had raised are cleared (its
 * replacement knows nothing of them) and its new alarms get ids that do not repeat the old ones.
 * Pure: time is the caller's source time.
 */
/** What a run that raised and cleared nothing returns: one shared empty list, no garbage per sample. */
const NOTHING: readonly AlarmEvent[] = Object.freeze([]);

export class ComponentGuard {
  /** By component, then subject: no key built per run, at the rig's rate. */
  readonly #parts = new Map<string, Map<string, Guarded>>();
  readonly #options: ComponentGuardOptions;

  constructor(options: ComponentGuardOptions) {
    this.#options = options;
  }

  /**
   * Runs `work` for `subject`'s `component` at source time `t` and returns its events; when it
   * throws, calls `reset` and returns the clears of what the component had raised and the
   * `internal_error` raise instead.
   */
  run(
    subject: string,
    component: string,
    t: number,
    work: () => readonly AlarmEvent[],
    reset: () => void,
  ): readonly AlarmEvent[] {
    const part = this.#part(subject, component);
    let events: readonly AlarmEvent[];
    try {
      events = work();
    } catch (error) {
      return this.fault(subject, component, t, error, reset);
    }
    const cleared = part.latch.good(t);
    if (events.length === 0 && !cleared) return NOTHING;
    const out = events.map((e) => this.#track(part, e));
    if (cleared) out.push(cleared);
    return out;
  }

  /** A throw caught elsewhere (a sink's delivery): raise, count, reset. */
  fault(subject: string, component: string, t: number, error: unknown, reset: () => void): AlarmEvent[] {
    const part = this.#part(subject, component);
    part.count++;
    this.#options.onFault?.({ subject, component, error, t, count: part.count });
    let resetError: string | undefined;
    try {
      reset();
    } catch (e) {
      resetError = describe(e);
    }
    const out: AlarmEvent[] = [];
    for (const open of part.open.values())
      out.push({ ...open, state: "cleared", t, detail: { reason: "reset after internal_error" } });
    part.open.clear();
    for (const [prefix, n] of part.highest) part.offsets.set(prefix, n);
    const raised = part.latch.bad(t, {
      component,
      error: describe(error),
      count: part.count,
      ...(resetError === undefined ? {} : { resetError }),
    });
    if (raised) out.push(raised);
    return out;
  }

  #part(subject: string, component: string): Guarded {
    let subjects = this.#parts.get(component);
    if (!subjects) this.#parts.set(component, (subjects = new Map()));
    let part = subjects.get(subject);
    if (!part) {
      part = {
        latch: new AlarmLatch("internal_error", subject, "critical", this.#options.clearAfterS),
        count: 0,
        open: new Map(),
        offsets: new Map(),
        highest: new Map(),
      };
      subjects.set(subject, part);
    }
    return part;
  }

  /** Renumbers an event past a reset and keeps what is open. */
  #track(part: Guarded, event: AlarmEvent): AlarmEvent {
    const cut = event.id.lastIndexOf(":");
    const prefix = event.id.slice(0, cut);
    const n = Number(event.id.slice(cut + 1));
    const offset = part.offsets.get(prefix) ?? 0;
    const sent = offset === 0 || !Number.isInteger(n) ? event : { ...event, id: `${prefix}:${n + offset}` };
    if (Number.isInteger(n)) part.highest.set(prefix, Math.max(part.highest.get(prefix) ?? 0, n + offset));
    if (sent.state === "raised") part.open.set(sent.id, sent);
    else part.open.delete(sent.id);
    return sent;
  }
}

/** The error's class and message, as one line for the alarm. */
function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
