import type { AlarmEvent, AlarmKind, Severity } from "../../detectors/alarm.js";

/** The alarm-management limits control rooms use (ISA-18.2, EEMUA 191); the defaults are theirs. */
export interface AlarmFigureRules {
  /** The same alarm (kind and subject) raised this many times ... */
  readonly chatterCount: number;
  /** ... within this many seconds is chattering. */
  readonly chatterWindowS: number;
  /** This many alarms ... */
  readonly floodCount: number;
  /** ... within this many seconds is a flood. */
  readonly floodWindowS: number;
}

export const ISA_18_2: AlarmFigureRules = {
  chatterCount: 3,
  chatterWindowS: 60,
  floodCount: 10,
  floodWindowS: 600,
};

export interface ChatteringAlarm {
  readonly kind: AlarmKind;
  readonly subject: string;
  /** Most raises within any chatter window. */
  readonly raises: number;
}

export interface StandingAlarm {
  readonly id: string;
  readonly kind: AlarmKind;
  readonly subject: string;
  readonly severity: Severity;
}

export interface AlarmFigures {
  /** Seconds of take the alarms were raised over. */
  readonly durationS: number;
  readonly raised: number;
  /** Raised alarms that sound (critical). */
  readonly critical: number;
  /** Raised alarms per 10 minutes of take, all and critical. */
  readonly per10Min: number;
  readonly criticalPer10Min: number;
  readonly chattering: readonly ChatteringAlarm[];
  /** Raised and not cleared by the end: they stand longer than the take. */
  readonly standing: readonly StandingAlarm[];
  /** Separate stretches of time during which some flood window held a flood of alarms. */
  readonly floods: number;
  /** Total time in flood, seconds. */
  readonly floodS: number;
  /** Most alarms raised within any flood window. */
  readonly peakPerFloodWindow: number;
}

/**
 * The alarm-management figures of a stream of alarms over `span` (source time): alarm rate,
 * chattering, standing and flood alarms. `alarms` must be in emission order and include the clears
 * emitted when the take ended, so a standing alarm is one no clear followed.
 */
export function alarmFigures(
  alarms: readonly AlarmEvent[],
  span: { readonly start: number; readonly end: number },
  rules: AlarmFigureRules = ISA_18_2,
): AlarmFigures {
  const durationS = Math.max(0, span.end - span.start);
  const raised = alarms.filter((a) => a.state === "raised");
  const critical = raised.filter((a) => a.severity === "critical").length;
  const per10 = (n: number) => (durationS > 0 ? (n * 600) / durationS : 0);

  const bySubject = new Map<string, { kind: AlarmKind; subject: string; times: number[] }>();
  for (const a of raised) {
    const key = `${a.kind}\u0000${a.subject}`;
    let entry = bySubject.get(key);
    if (!entry) bySubject.set(key, (entry = { kind: a.kind, subject: a.subject, times: [] }));
    entry.times.push(a.t);
  }
  const chattering: ChatteringAlarm[] = [];
  for (const { kind, subject, times } of bySubject.values()) {
    const most = mostWithin(times, rules.chatterWindowS);
    if (most >= rules.chatterCount) chattering.push({ kind, subject, raises: most });
  }

  const open = new Map<string, AlarmEvent>();
  for (const a of alarms) {
    if (a.state === "raised") open.set(a.id, a);
    else open.delete(a.id);
  }
  const standing = [...open.values()].map(({ id, kind, subject, severity }) => ({
    id,
    kind,
    subject,
    severity,
  }));

  const flood = floodStretches(
    raised.map((a) => a.t),
    rules,
    span,
  );
  return {
    durationS,
    raised: raised.length,
    critical,
    per10Min: per10(raised.length),
    criticalPer10Min: per10(critical),
    chattering,
    standing,
    floods: flood.stretches,
    floodS: flood.seconds,
    peakPerFloodWindow: mostWithin(
      raised.map((a) => a.t),
      rules.floodWindowS,
    ),
  };
}

/** Most of `times` within any window of `windowS` (a raise at t counts in windows (t − windowS, t]). */
function mostWithin(times: readonly number[], windowS: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; j < sorted.length; j++) {
    while ((sorted[j] as number) - (sorted[i] as number) >= windowS) i++;
    most = Math.max(most, j - i + 1);
  }
  return most;
}

/**
 * Time in flood: at time t the window (t − windowS, t] holds ≥ floodCount raises. With raises r sorted,
 * that holds on [r_j, r_{j−n+1} + windowS) for each j; the union of those, within the span.
 */
function floodStretches(
  times: readonly number[],
  rules: AlarmFigureRules,
  span: { readonly start: number; readonly end: number },
): { stretches: number; seconds: number } {
  const r = [...times].sort((a, b) => a - b);
  const n = rules.floodCount;
  const intervals: [number, number][] = [];
  for (let j = n - 1; j < r.length; j++) {
    const a = Math.max(r[j] as number, span.start);
    const b = Math.min((r[j - n + 1] as number) + rules.floodWindowS, span.end);
    if (b > a) intervals.push([a, b]);
  }
  let stretches = 0;
  let seconds = 0;
  let current: [number, number] | undefined;
  for (const iv of intervals) {
    if (current && iv[0] <= current[1]) current[1] = Math.max(current[1], iv[1]);
    else {
      if (current) seconds += current[1] - current[0];
      current = [iv[0], iv[1]];
      stretches++;
    }
  }
  if (current) seconds += current[1] - current[0];
  return { stretches, seconds };
}
