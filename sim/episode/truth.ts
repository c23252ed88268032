import { FrameOwner } from "./clock.js";
import { BODIES, type Body, type Side, sensorBody } from "./layout.js";
import type { OtEvidence, OtPlan } from "./ot.js";
import type { ResolvedScenario } from "./scenario.js";

export type TruthMode =
  "intensity_spike" | "teleport" | "ot_loss" | "pipeline_stall" | "real_still" | "sign_flip";
export type TruthKind = "held" | "gap" | "invalid" | "translation" | "rotation";

/**
 * One injected fault, key order as in the fixture's truth file. `start`/`end`: inclusive H5 (pre-trim)
 * camera frames, unpadded. `bad: false` marks a hard negative: something a detector must not report
 * (a sign flip, a real rest, an OT fault on an inactive side or on the motherboard).
 */
export interface TruthEvent {
  mode: TruthMode;
  kind?: TruthKind;
  body?: Body;
  side?: Side;
  start: number;
  end: number;
  bad: boolean;
}

/** The fixture's truth format (faulted/episode_000.truth.json) plus `drift` per side. */
export interface Truth {
  path: string;
  fps: number;
  T: number;
  res: [number, number];
  trim_offset: number;
  active_sensors: Side[];
  events: TruthEvent[];
  seed: number;
  drift: { left: boolean; right: boolean };
}

export interface TrimRule {
  readonly maxGapS: number;
  readonly steadyS: number;
}

/** Spec §2: a body streams steadily from the first sample of a stretch with no gap > 0.5 s lasting ≥ 1 s. */
export const TRIM_RULE: TrimRule = { maxGapS: 0.5, steadyS: 1 };

/** Time of the first steadily streaming sample, or undefined if the body never streams steadily. */
export function steadyStart(times: Float64Array, rule: TrimRule = TRIM_RULE): number | undefined {
  let run = 0;
  for (let i = 0; i < times.length; i++) {
    if (i > 0 && (times[i] as number) - (times[i - 1] as number) > rule.maxGapS) run = i;
    if ((times[i] as number) - (times[run] as number) >= rule.steadyS) return times[run] as number;
  }
  return undefined;
}

/**
 * Frames of the OT evidence under the fixture's convention (frame k owns (ts[k-1], ts[k]]):
 * held = owners of the first and last repeated samples; gap = owner of (last sample before)+ε to owner
 * of the first sample after; teleport = owners of the second sample of each jumping pair;
 * invalid = owners of the invalid samples; sign flip = owner of the first flipped sample.
 */
export function evidenceFrames(e: OtEvidence, grid: Float64Array, owner: FrameOwner): [number, number] {
  const t = (j: number) => grid[j] as number;
  switch (e.kind) {
    case "held":
    case "invalid":
      return [owner.owning(t(e.first)), owner.owning(t(e.last))];
    case "gap":
      return [owner.after(t(e.first - 1)), owner.owning(t(e.last + 1))];
    case "translation":
    case "rotation":
      return [owner.owning(t(e.first)), owner.owning(t(e.first + 2))];
    case "sign_flip":
      return [owner.owning(t(e.first)), owner.owning(t(e.first))];
  }
}

const byFrames = (a: TruthEvent, b: TruthEvent) =>
  a.start - b.start ||
  a.end - b.end ||
  a.mode.localeCompare(b.mode) ||
  (a.body ?? a.side ?? "").localeCompare(b.body ?? b.side ?? "");

/** The truth of a planned episode: everything is computed from the generated samples, not from the fault list. */
export function buildTruth(s: ResolvedScenario, path: string, ts: Float64Array, ot: OtPlan): Truth {
  const owner = new FrameOwner(ts);
  const activeBodies = new Set<Body>(s.activeSides.map(sensorBody));
  const events: TruthEvent[] = [];
  for (const e of ot.evidence) {
    const [start, end] = evidenceFrames(e, ot.grid, owner);
    const bad = activeBodies.has(e.body);
    switch (e.kind) {
      case "held":
        events.push(
          e.still
            ? { mode: "real_still", kind: "held", body: e.body, start, end, bad: false }
            : { mode: "ot_loss", kind: "held", body: e.body, start, end, bad },
        );
        break;
      case "gap":
      case "invalid":
        events.push({ mode: "ot_loss", kind: e.kind, body: e.body, start, end, bad });
        break;
      case "translation":
      case "rotation":
        events.push({ mode: "teleport", kind: e.kind, body: e.body, start, end, bad });
        break;
      case "sign_flip":
        events.push({ mode: "sign_flip", body: e.body, start, end, bad: false });
        break;
    }
  }
  for (const f of s.faults) {
    if (f.type === "led_flicker") {
      events.push({
        mode: "intensity_spike",
        side: f.side,
        start: f.start,
        end: f.start + (f.count ?? 1) - 1,
        bad: true,
      });
    } else if (f.type === "pipeline_stall") {
      events.push({ mode: "pipeline_stall", start: f.start, end: f.end, bad: true });
    }
  }
  events.sort(byFrames);

  let trim = 0;
  for (const body of BODIES) {
    if (!activeBodies.has(body)) continue;
    const start = steadyStart(ot.streams[body].times);
    trim = Math.max(trim, start === undefined ? s.ticks : owner.owning(start));
  }
  const drifts = new Set(s.faults.flatMap((f) => (f.type === "gel_drift" ? [f.side] : [])));
  return {
    path,
    fps: s.fps,
    T: s.ticks,
    res: [s.height, s.width],
    trim_offset: trim,
    active_sensors: [...s.activeSides],
    events,
    seed: s.seed,
    drift: { left: drifts.has("left"), right: drifts.has("right") },
  };
}

/** The truth file as written beside the episode (one-space indent, like the fixture's). */
export function formatTruth(truth: Truth): string {
  return JSON.stringify(truth, null, 1);
}
