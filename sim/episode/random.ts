import {
  BODIES,
  type Body,
  type Compression,
  SIDES,
  type SensorBody,
  type Side,
  sensorBody,
} from "./layout.js";
import { planEpisode } from "./plan.js";
import { gauss, type Rng, rngFor, STREAM, uniform } from "./prng.js";
import { resolveScenario } from "./resolveScenario.js";
import type { ContactTiming, Fault, Scenario } from "./scenario.js";
import { ScenarioError } from "./validate.js";

/** The faults the random preset places a random number of (the "sometimes" ones are drawn separately). */
export const RANDOM_FAULT_KINDS = [
  "held",
  "gap",
  "zero_quat",
  "teleport_translation",
  "teleport_rotation",
  "sign_flip",
  "led_flicker",
  "pipeline_stall",
  "real_still",
] as const;
export type RandomFaultKind = (typeof RANDOM_FAULT_KINDS)[number];

/** Every fault type the random preset draws: the placed kinds and the "sometimes" ones. */
export type RandomDrawKind = RandomFaultKind | "ot_uninitialised_prefix" | "gel_drift";

/** A number, or a [min, max] range drawn from uniformly. */
export type Range = number | readonly [number, number];

export interface RandomScenarioOptions {
  /** Take length in seconds. Default [10, 30]. */
  readonly seconds?: Range;
  /** How many faults of RANDOM_FAULT_KINDS to place (an integer range). Default [0, 6]. */
  readonly faults?: Range;
  /** Kinds drawn from, uniformly. Default every kind. */
  readonly kinds?: readonly RandomFaultKind[];
  /** Chance that one side (either) is inactive. Default 0.2. */
  readonly pInactiveSide?: number;
  /** Chance of an OT-uninitialised prefix of 1–5 s. Default 0.25. */
  readonly pPrefix?: number;
  /** Chance of a gel drift on one side. Default 0.25. */
  readonly pDrift?: number;
  /**
   * Chance that an OT fault goes to a body the detectors must ignore (the motherboard, or the body of
   * an inactive side): a hard negative. Default 0.2.
   */
  readonly pPassiveBody?: number;
  /** Range of the motion time scale (scenario `motionSpeed`). Default [0.5, 2]. */
  readonly motionSpeed?: Range;
  /** Draws of one fault before it is given up. Default 40. */
  readonly maxAttempts?: number;
  readonly task?: string;
  readonly height?: number;
  readonly width?: number;
  readonly compression?: Compression;
}

/** One draw that was turned down, and why (the validator's message, or a spacing rule of this file). */
export interface RandomRejection {
  readonly kind: RandomDrawKind;
  readonly fault: Fault | undefined;
  readonly reason: string;
}

export interface RandomDraw {
  readonly scenario: Scenario;
  /** Every draw turned down, in draw order. */
  readonly rejections: readonly RandomRejection[];
  /** Faults given up after `maxAttempts` rejected draws. */
  readonly dropped: readonly RandomDrawKind[];
}

const FPS = 30;
const OT_KINDS = new Set<string>([
  "held",
  "gap",
  "zero_quat",
  "teleport_translation",
  "teleport_rotation",
  "sign_flip",
]);

/** The random preset's take for `seed` (deterministic: same seed and options → same scenario). */
export function randomScenario(seed: number, options: RandomScenarioOptions = {}): Scenario {
  return drawRandomScenario(seed, options).scenario;
}

/**
 * Draws one take: its length, active sides, motion speed and contact schedule, sometimes an
 * OT-uninitialised prefix and a gel drift, then a random number of randomly placed and sized faults.
 * Each fault is checked together with the ones already placed by the scenario validator (and, for
 * holds and rests, by planning the episode, which checks the re-acquisition jump); a rejected fault
 * is drawn again, up to `maxAttempts` times, then given up. Every scenario returned is valid.
 *
 * Beyond the validator, two spacing rules of this generator keep the truth countable: LED flickers of
 * one side start ≥ 8 frames after the previous one ends (so no ±7-frame median window holds more than
 * 6 flicker frames), and pipeline stalls neither overlap nor touch.
 */
export function drawRandomScenario(seed: number, options: RandomScenarioOptions = {}): RandomDraw {
  if (!Number.isInteger(seed) || seed < 0) throw new ScenarioError("seed must be a non-negative integer");
  const rng = rngFor(seed, STREAM.scenarioDraw);
  const real = (r: Range) => (typeof r === "number" ? r : uniform(rng, r[0], r[1]));
  const int = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
  const chance = (p: number) => rng() < p;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;
  const round = (x: number, digits: number) => Number(x.toFixed(digits));

  const ticks = Math.max(60, Math.round(real(options.seconds ?? [10, 30]) * FPS));
  const activeSides: Side[] = chance(options.pInactiveSide ?? 0.2) ? [pick(SIDES)] : [...SIDES];
  const motionSpeed = round(real(options.motionSpeed ?? [0.5, 2]), 2);
  const contacts = drawContacts(rng, round);
  const minutes = 5 * 60 + 40 + 2 * (seed % 120);
  const clock = `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
  const base: Scenario = {
    seed,
    task: options.task ?? "motherboard",
    ticks,
    createdAt: `2026-05-31T${clock}:00`,
    activeSides,
    motionSpeed,
    contacts,
    ...(options.height === undefined ? {} : { height: options.height }),
    ...(options.width === undefined ? {} : { width: options.width }),
    ...(options.compression === undefined ? {} : { compression: options.compression }),
  };

  const faults: Fault[] = [];
  const rejections: RandomRejection[] = [];
  const dropped: RandomDrawKind[] = [];
  const maxAttempts = options.maxAttempts ?? 40;
  /** Adds the fault if the scenario stays valid; returns the reason otherwise. */
  const tryAdd = (f: Fault): string | undefined => {
    const spacing = spacingRule(f, faults);
    if (spacing) return spacing;
    const candidate = [...faults, f];
    try {
      const resolved = resolveScenario({ ...base, faults: candidate });
      // Only holds and rests can fail the plan's re-acquisition check (a rest changes the motion).
      if (f.type === "held" || f.type === "real_still") planEpisode(resolved);
    } catch (error) {
      if (error instanceof ScenarioError) return error.message;
      throw error;
    }
    faults.push(f);
    return undefined;
  };
  const place = (kind: RandomDrawKind, draw: () => Fault | string, attempts = maxAttempts) => {
    for (let attempt = 0; attempt < attempts; attempt++) {
      const f = draw();
      const why = typeof f === "string" ? f : tryAdd(f);
      if (why === undefined) return;
      rejections.push({ kind, fault: typeof f === "string" ? undefined : f, reason: why });
    }
    dropped.push(kind);
  };

  // The "sometimes" faults first: the prefix bounds every other fault, the drift depends on it.
  let prefix = 0;
  if (chance(options.pPrefix ?? 0.25)) {
    const frames = Math.min(ticks - 2 * FPS, Math.round(uniform(rng, 1, 5) * FPS));
    const trickleHz = chance(0.2) ? 0 : round(uniform(rng, 0.3, 1.2), 2);
    place("ot_uninitialised_prefix", () => ({ type: "ot_uninitialised_prefix", frames, trickleHz }), 1);
    if (faults.length > 0) prefix = frames;
  }
  if (chance(options.pDrift ?? 0.25)) {
    const side = pick(SIDES);
    place("gel_drift", () => ({
      type: "gel_drift",
      side,
      from: int(prefix + 1, prefix + Math.floor(0.4 * (ticks - prefix))),
      brighten: int(8, 20),
    }));
  }

  const kinds = options.kinds ?? RANDOM_FAULT_KINDS;
  const countRange = options.faults ?? [0, 6];
  const count = typeof countRange === "number" ? countRange : int(countRange[0], countRange[1]);
  const activeBodies: Body[] = activeSides.map(sensorBody);
  const passiveBodies: Body[] = BODIES.filter((b) => !activeBodies.includes(b));
  for (let i = 0; i < count && kinds.length > 0; i++) {
    const kind = pick(kinds);
    place(kind, () => {
      const body = chance(options.pPassiveBody ?? 0.2) ? pick(passiveBodies) : pick(activeBodies);
      // Frames a fault may touch: [1, T-2], after the prefix (OT faults a further second, as validated).
      const lo = prefix > 0 ? prefix + (OT_KINDS.has(kind) || kind === "real_still" ? FPS : 0) : 1;
      const hi = ticks - 2;
      /** A start for a span of `length` frames (end = start + length - 1), or undefined if none fits. */
      const startFor = (length: number) => (hi - length + 1 < lo ? undefined : int(lo, hi - length + 1));
      const tooShort = `no room for a ${kind} in frames [${lo}, ${hi}]`;
      switch (kind) {
        case "held": {
          const n = Math.max(9, Math.round(uniform(rng, 0.3, 3) * FPS));
          const start = startFor(n);
          return start === undefined ? tooShort : { type: "held", body, start, end: start + n - 1 };
        }
        case "gap": {
          // end - start frames: the stream is silent from after ts[start] to past ts[end-1], i.e. for
          // at least (end - start - 1.22) frame periods, ≥ the drawn seconds.
          const span = Math.max(4, Math.ceil(uniform(rng, 0.12, 2) * FPS) + 1);
          const start = startFor(span + 1);
          return start === undefined ? tooShort : { type: "gap", body, start, end: start + span };
        }
        case "zero_quat": {
          const count = int(1, 5);
          const at = startFor(3);
          return at === undefined ? tooShort : { type: "zero_quat", body, at, count };
        }
        case "teleport_translation": {
          const at = startFor(2);
          const meters = round(uniform(rng, 0.1, 0.5), 3);
          const direction = unitVector(rng, round);
          const sample = pick([0, -1]);
          return at === undefined
            ? tooShort
            : { type: "teleport_translation", body, at, sample, meters, direction };
        }
        case "teleport_rotation": {
          const at = startFor(2);
          const degrees = round(uniform(rng, 60, 180), 1);
          const axis = unitVector(rng, round);
          const sample = pick([0, -1]);
          return at === undefined ? tooShort : { type: "teleport_rotation", body, at, sample, degrees, axis };
        }
        case "sign_flip": {
          const at = startFor(1);
          return at === undefined ? tooShort : { type: "sign_flip", body, at };
        }
        case "led_flicker": {
          const count = int(1, 3);
          const side = pick(SIDES);
          const start = startFor(count);
          return start === undefined ? tooShort : { type: "led_flicker", side, start, count };
        }
        case "pipeline_stall": {
          const n = int(10, 60);
          const start = startFor(n);
          return start === undefined ? tooShort : { type: "pipeline_stall", start, end: start + n - 1 };
        }
        case "real_still": {
          const n = Math.max(15, Math.round(uniform(rng, 0.5, 2) * FPS));
          const which = rng();
          const bodies: SensorBody[] | undefined =
            which < 0.5 ? undefined : which < 0.75 ? ["sensor_left"] : ["sensor_right"];
          const start = startFor(n);
          if (start === undefined) return tooShort;
          return bodies
            ? { type: "real_still", start, end: start + n - 1, bodies }
            : { type: "real_still", start, end: start + n - 1 };
        }
      }
    });
  }
  // Listed in frame order (the prefix and drifts first), so the JSON reads like the take.
  const order = (f: Fault) =>
    f.type === "ot_uninitialised_prefix"
      ? -2
      : f.type === "gel_drift"
        ? -1
        : "start" in f
          ? f.start
          : "at" in f
            ? f.at
            : 0;
  const sorted = faults.map((f, i) => ({ f, i })).sort((a, b) => order(a.f) - order(b.f) || a.i - b.i);
  return {
    scenario: { ...base, faults: sorted.map(({ f }) => f) },
    rejections,
    dropped,
  };
}

/**
 * A random contact schedule: first press after 0.5–3 s, presses of 0.5–2.4 s, pauses at least as long
 * as the longest press (scenario.ts requires it: most of the take stays untouched).
 */
function drawContacts(rng: Rng, round: (x: number, digits: number) => number): ContactTiming {
  const first = round(uniform(rng, 0.5, 2), 2);
  const pressLo = round(uniform(rng, 0.5, 1.2), 2);
  const pressHi = round(pressLo + uniform(rng, 0.1, 1.2), 2);
  const gapLo = round(Math.max(pressHi, 1) + uniform(rng, 0, 2), 2);
  const gapHi = round(gapLo + uniform(rng, 0.3, 2), 2);
  return { firstS: [first, round(first + 1, 2)], pressS: [pressLo, pressHi], gapS: [gapLo, gapHi] };
}

/** A random direction, rounded to 3 decimals (uniform on the sphere before rounding). */
function unitVector(rng: Rng, round: (x: number, digits: number) => number): [number, number, number] {
  for (;;) {
    const v = [gauss(rng), gauss(rng), gauss(rng)];
    const n = Math.hypot(...v);
    if (n < 1e-3) continue;
    const out = v.map((x) => round(x / n, 3)) as [number, number, number];
    if (Math.hypot(...out) > 0.5) return out;
  }
}

/** The generator's own spacing rules (see drawRandomScenario); undefined when the fault may go in. */
function spacingRule(f: Fault, placed: readonly Fault[]): string | undefined {
  if (f.type === "led_flicker") {
    const end = f.start + (f.count ?? 1) - 1;
    for (const g of placed) {
      if (g.type !== "led_flicker" || g.side !== f.side) continue;
      const gEnd = g.start + (g.count ?? 1) - 1;
      if (f.start <= gEnd + 8 && g.start <= end + 8) return `flicker within 8 frames of ${JSON.stringify(g)}`;
    }
  } else if (f.type === "pipeline_stall") {
    for (const g of placed) {
      if (g.type === "pipeline_stall" && f.start <= g.end + 1 && g.start <= f.end + 1)
        return `stall overlaps or touches ${JSON.stringify(g)}`;
    }
  }
  return undefined;
}
