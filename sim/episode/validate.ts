import { BODIES, type Body, SIDES } from "./layout.js";
import type { Fault, ResolvedScenario } from "./scenario.js";
import { UserFacingError } from "../../config/UserFacingError.js";

export class ScenarioError extends UserFacingError {
  override name = "ScenarioError";
}

/** Frames a fault touches on one body, widened by the samples it needs on either side. */
interface BodySpan {
  readonly body: Body;
  readonly a: number;
  readonly b: number;
  readonly fault: Fault;
}

function bodySpans(f: Fault): BodySpan[] {
  switch (f.type) {
    case "held":
      return [{ body: f.body, a: f.start - 1, b: f.end + 1, fault: f }];
    case "gap":
      return [{ body: f.body, a: f.start, b: f.end, fault: f }];
    case "zero_quat":
      return [{ body: f.body, a: f.at, b: f.at + Math.ceil((f.count ?? 3) / 3), fault: f }];
    case "teleport_translation":
    case "teleport_rotation":
      return [{ body: f.body, a: f.at - 1, b: f.at + 2, fault: f }];
    case "sign_flip":
      return [{ body: f.body, a: f.at - 1, b: f.at + 1, fault: f }];
    case "real_still":
      return (f.bodies ?? ["sensor_left", "sensor_right"]).map((body) => ({
        body,
        a: f.start - 1,
        b: f.end + 1,
        fault: f,
      }));
    default:
      return [];
  }
}

/** Frames of evidence a detector looks at for the fault (used to keep real_still windows clean). */
function evidenceSpan(f: Fault): [number, number] | undefined {
  switch (f.type) {
    case "held":
    case "gap":
    case "pipeline_stall":
      return [f.start, f.end];
    case "zero_quat":
    case "teleport_translation":
    case "teleport_rotation":
      return [f.at, f.at + 2];
    case "led_flicker":
      return [f.start, f.start + (f.count ?? 1) - 1];
    default:
      return undefined;
  }
}

/** First frame a fault touches, to keep faults out of the trimmed prefix. */
function firstFrame(f: Fault): number | undefined {
  switch (f.type) {
    case "ot_uninitialised_prefix":
    case "gel_drift":
      return undefined;
    case "zero_quat":
    case "teleport_translation":
    case "teleport_rotation":
    case "sign_flip":
      return f.at;
    default:
      return f.start;
  }
}

const describe = (f: Fault) => JSON.stringify(f);

/**
 * Rejects scenarios whose truth would be ambiguous: faults too short for the spec's thresholds,
 * overlapping faults on one body, faults inside the trimmed prefix, a drift too late to move the
 * p01 reference, or a real_still whose ±1 s diagnosis window contains another fault.
 */
export function validateFaults(s: ResolvedScenario): void {
  const { ticks: T, fps } = s;
  const fail = (f: Fault, why: string): never => {
    throw new ScenarioError(`${describe(f)}: ${why}`);
  };
  const inTake = (f: Fault, ...frames: number[]) => {
    for (const k of frames)
      if (!Number.isInteger(k) || k < 1 || k > T - 2) fail(f, `frame ${k} not in [1, ${T - 2}]`);
  };
  const checkBody = (f: Fault, body: string) => {
    if (!(BODIES as readonly string[]).includes(body)) fail(f, `unknown body ${body}`);
  };
  const checkSide = (f: Fault, side: string) => {
    if (!(SIDES as readonly string[]).includes(side)) fail(f, `unknown side ${side}`);
  };
  let prefixes = 0;
  const drifts = new Set<string>();
  for (const f of s.faults) {
    switch (f.type) {
      case "held":
        checkBody(f, f.body);
        inTake(f, f.start, f.end);
        if (f.end - f.start + 1 < 9) fail(f, "held needs ≥ 9 frames (0.25 s freeze threshold)");
        break;
      case "gap":
        checkBody(f, f.body);
        inTake(f, f.start, f.end);
        if (f.end - f.start < 4) fail(f, "gap needs end - start ≥ 4 (≥ 0.1 s without samples)");
        break;
      case "zero_quat":
        checkBody(f, f.body);
        inTake(f, f.at);
        if (!Number.isInteger(f.count ?? 3) || (f.count ?? 3) < 1 || (f.count ?? 3) > 8)
          fail(f, "count in 1..8");
        break;
      case "teleport_translation":
      case "teleport_rotation": {
        checkBody(f, f.body);
        inTake(f, f.at, f.at + 1);
        const v = f.type === "teleport_translation" ? f.direction : f.axis;
        if (Array.isArray(v) && !(v.every(Number.isFinite) && Math.hypot(...v) > 0))
          fail(f, "direction / axis must be a finite non-zero vector");
        break;
      }
      case "sign_flip":
        checkBody(f, f.body);
        inTake(f, f.at);
        break;
      case "led_flicker": {
        checkSide(f, f.side);
        const count = f.count ?? 1;
        if (!Number.isInteger(count) || count < 1 || count > 3) fail(f, "count in 1..3");
        inTake(f, f.start, f.start + count - 1);
        break;
      }
      case "pipeline_stall":
        inTake(f, f.start, f.end);
        if (f.end - f.start + 1 < 9) fail(f, "stall needs ≥ 9 repeated frames (30 % of a 1 s window)");
        break;
      case "real_still":
        inTake(f, f.start, f.end);
        for (const b of f.bodies ?? []) checkBody(f, b);
        if ((f.end - f.start + 1) / fps < 0.5) fail(f, "real_still needs ≥ 0.5 s");
        break;
      case "ot_uninitialised_prefix":
        prefixes++;
        if (!Number.isInteger(f.frames) || f.frames < 1 || f.frames > T - 2 * fps) {
          fail(f, `frames in [1, T - 2 s] = [1, ${T - 2 * fps}]`);
        }
        if ((f.trickleHz ?? 0.6) < 0 || (f.trickleHz ?? 0.6) > 1.5) fail(f, "trickleHz in [0, 1.5]");
        break;
      case "gel_drift": {
        checkSide(f, f.side);
        if (drifts.has(f.side)) fail(f, "one drift per side");
        drifts.add(f.side);
        // The p01 reference is the frame nearest the take's median image: the drift must hold for most
        // of the (post-trim) take, or the reference stays before it and the drift is invisible.
        const first = s.prefixFrames;
        const last = first + Math.floor(0.4 * (T - first));
        if (!Number.isInteger(f.from) || f.from <= first || f.from > last)
          fail(f, `from in [${first + 1}, ${last}]`);
        if ((f.brighten ?? 12) < 6) fail(f, "brighten ≥ 6 levels (mean L2 > 5 needs 6·√3)");
        break;
      }
    }
  }
  if (prefixes > 1) throw new ScenarioError("at most one ot_uninitialised_prefix");

  // Faults after the prefix only; OT faults a further second, so the steady-start of spec §2 is unambiguous.
  for (const f of s.faults) {
    const a = firstFrame(f);
    if (a === undefined || s.prefixFrames === 0) continue;
    const min = s.prefixFrames + (bodySpans(f).length > 0 ? fps : 0);
    if (a < min) fail(f, `starts before frame ${min} (trim ${s.prefixFrames})`);
  }

  const spans = s.faults.flatMap(bodySpans);
  for (let i = 0; i < spans.length; i++) {
    for (let j = i + 1; j < spans.length; j++) {
      const p = spans[i] as BodySpan;
      const q = spans[j] as BodySpan;
      if (p.body === q.body && p.a <= q.b + 2 && q.a <= p.b + 2) {
        throw new ScenarioError(`${describe(p.fault)} and ${describe(q.fault)} overlap on ${p.body}`);
      }
    }
  }

  // A real_still is only real_still if its diagnosis window (±1 s) holds no other evidence (spec §3).
  for (const still of s.faults) {
    if (still.type !== "real_still") continue;
    for (const f of s.faults) {
      const e = evidenceSpan(f);
      if (f === still || e === undefined) continue;
      if (e[0] <= still.end + fps && still.start - fps <= e[1]) {
        fail(still, `${describe(f)} lies in its ±1 s diagnosis window`);
      }
    }
  }
}
