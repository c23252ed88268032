import type { AlarmEvent, AlarmKind, Severity } from "../alarm.js";

/**
 * Raised/cleared bookkeeping for one alarm subject, with hysteresis: a raised alarm clears only after
 * the condition has been absent for `clearAfterS` of source time, so a flickering signal does not flap.
 */
export class AlarmLatch {
  private raisedId: string | undefined;
  private count = 0;
  private goodSince: number | undefined;
  /** The severity the standing alarm was raised with: its clear carries the same. */
  private raisedSeverity: Severity;

  constructor(
    readonly kind: AlarmKind,
    readonly subject: string,
    /** Severity of the next raise (a standing alarm keeps the one it was raised with). */
    public severity: Severity,
    private readonly clearAfterS: number,
  ) {
    this.raisedSeverity = severity;
  }

  get raised(): boolean {
    return this.raisedId !== undefined;
  }

  /** The condition holds at time t: raises if not already raised. */
  bad(t: number, detail: Record<string, unknown>, frame?: number): AlarmEvent | undefined {
    this.goodSince = undefined;
    if (this.raisedId !== undefined) return undefined;
    this.raisedId = `${this.kind}:${this.subject}:${++this.count}`;
    this.raisedSeverity = this.severity;
    return this.event("raised", t, detail, frame);
  }

  /** The condition is absent at time t: clears once it has been absent long enough. */
  good(t: number, frame?: number): AlarmEvent | undefined {
    if (this.raisedId === undefined) return undefined;
    this.goodSince ??= t;
    if (t - this.goodSince < this.clearAfterS) return undefined;
    const event = this.event("cleared", t, {}, frame);
    this.raisedId = undefined;
    this.goodSince = undefined;
    return event;
  }

  /** Clears at once, whatever the hysteresis: the take ended or the condition no longer applies. */
  clear(t: number, detail: Record<string, unknown> = {}, frame?: number): AlarmEvent | undefined {
    if (this.raisedId === undefined) return undefined;
    const event = this.event("cleared", t, detail, frame);
    this.raisedId = undefined;
    this.goodSince = undefined;
    return event;
  }

  private event(
    state: "raised" | "cleared",
    t: number,
    detail: Record<string, unknown>,
    frame?: number,
  ): AlarmEvent {
    return {
      type: "alarm",
      id: this.raisedId as string,
      kind: this.kind,
      state,
      severity: this.raisedSeverity,
      subject: this.subject,
      t,
      ...(frame === undefined ? {} : { frame }),
      detail,
    };
  }
}
