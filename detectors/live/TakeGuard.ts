import type { AlarmEvent } from "../alarm.js";
import type { PoseSample } from "../samples.js";
import { AlarmLatch } from "./AlarmLatch.js";

export interface TakeGuardConfig {
  /** At take start every active body must have sent a valid sample this recently. */
  readonly startGateS: number;
  /** This long without a valid sample on an active body during a take: stop and save it. */
  readonly watchdogS: number;
}

/**
 * The recorder-side guards of spec §7, per take: the start gate (critical `start_gate` at take start
 * for each active body without a valid OT sample in the last `startGateS`; cleared by that body's
 * first valid sample) and the watchdog (critical `watchdog` when an active body has had no valid
 * sample for `watchdogS` during the take; its detail carries `action: "stop_take"`, which the daemon
 * forwards to the recorder; cleared by a valid sample or the take's end). Pure: times come in.
 */
export class TakeGuard {
  private readonly lastValid = new Map<string, number>();
  private readonly gates = new Map<string, AlarmLatch>();
  private readonly watchdogs = new Map<string, AlarmLatch>();
  private take: { episode: number | null; startT: number; bodies: readonly string[] } | undefined;

  constructor(private readonly config: TakeGuardConfig) {}

  /** Bodies that have sent at least one sample, valid or not. */
  readonly seen = new Set<string>();

  onSample(sample: PoseSample): AlarmEvent[] {
    this.seen.add(sample.body);
    if (!sample.valid) return [];
    this.lastValid.set(sample.body, sample.t);
    const out: AlarmEvent[] = [];
    const gate = this.gates.get(sample.body)?.clear(sample.t, { reason: "tracking" });
    if (gate) out.push(gate);
    const dog = this.watchdogs.get(sample.body)?.clear(sample.t, { reason: "tracking" });
    if (dog) out.push(dog);
    return out;
  }

  /** `gate`: the source watched OT before the take, so the start gate can be judged. */
  /** `episode`: the recorder's number, null when the source has none (a replayed loose file). */
  onStart(t: number, episode: number | null, bodies: readonly string[], gate: boolean): AlarmEvent[] {
    const out = this.onEnd(t);
    this.take = { episode, startT: t, bodies };
    if (!gate) return out;
    for (const body of bodies) {
      const last = this.lastValid.get(body);
      if (last !== undefined && t - last <= this.config.startGateS) continue;
      const event = latch(this.gates, "start_gate", body).bad(t, {
        episode,
        lastValidAgoS: last === undefined ? null : round3(t - last),
        requiredS: this.config.startGateS,
      });
      if (event) out.push(event);
    }
    return out;
  }

  onClock(t: number): AlarmEvent[] {
    const take = this.take;
    if (!take) return [];
    const out: AlarmEvent[] = [];
    for (const body of take.bodies) {
      const since = Math.max(this.lastValid.get(body) ?? take.startT, take.startT);
      if (t - since < this.config.watchdogS) continue;
      const event = latch(this.watchdogs, "watchdog", body).bad(t, {
        episode: take.episode,
        silentS: round3(t - since),
        action: "stop_take",
      });
      if (event) out.push(event);
    }
    return out;
  }

  /** The take ended: its guards no longer apply. */
  onEnd(t: number): AlarmEvent[] {
    this.take = undefined;
    const out: AlarmEvent[] = [];
    for (const l of [...this.gates.values(), ...this.watchdogs.values()]) {
      const event = l.clear(t, { reason: "take ended" });
      if (event) out.push(event);
    }
    return out;
  }
}

function latch(map: Map<string, AlarmLatch>, kind: "start_gate" | "watchdog", body: string): AlarmLatch {
  let found = map.get(body);
  if (!found) {
    found = new AlarmLatch(kind, body, "critical", 0);
    map.set(body, found);
  }
  return found;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
