import type { Side } from "./layout.js";
import { SENSOR_NOISE } from "./sensorNoise.js";
import {
  type ContactTiming,
  DEFAULT_CONTACT_TIMING,
  type ResolvedScenario,
  type Scenario,
} from "./scenario.js";
import { ScenarioError, validateFaults } from "./validate.js";

export const DEFAULT_CREATED_AT = "2026-05-31T05:40:00";

export function resolveScenario(s: Scenario): ResolvedScenario {
  const fps = s.fps ?? 30;
  const ticks = s.ticks ?? Math.round((s.seconds ?? 10) * fps);
  const activeSides: Side[] = [...new Set<Side>(s.activeSides ?? ["left", "right"])].sort();
  const createdAt = s.createdAt ?? DEFAULT_CREATED_AT;
  if (!Number.isInteger(s.seed) || s.seed < 0) throw new ScenarioError(`seed must be a non-negative integer`);
  if (!Number.isInteger(ticks) || ticks < 30)
    throw new ScenarioError(`a take needs at least 30 ticks, got ${ticks}`);
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/.test(createdAt) || Number.isNaN(Date.parse(`${createdAt}Z`))) {
    throw new ScenarioError(`createdAt must be YYYY-MM-DDTHH:MM:SS, got ${createdAt}`);
  }
  const height = s.height ?? 480;
  const width = s.width ?? 640;
  if (height < 32 || width < 32) throw new ScenarioError("images must be at least 32×32");
  const motionSpeed = s.motionSpeed ?? 1;
  if (!(motionSpeed >= 0.25 && motionSpeed <= 4))
    throw new ScenarioError(`motionSpeed in [0.25, 4], got ${motionSpeed}`);
  const contacts = s.contacts ?? DEFAULT_CONTACT_TIMING;
  checkContactTiming(contacts);
  const noise = s.noise ?? "clean";
  if (!SENSOR_NOISE.includes(noise))
    throw new ScenarioError(`noise must be one of ${SENSOR_NOISE.join(", ")}, got ${String(noise)}`);
  const faults = s.faults ?? [];
  const prefix = faults.find((f) => f.type === "ot_uninitialised_prefix");
  const resolved: ResolvedScenario = {
    seed: s.seed,
    task: s.task ?? "motherboard",
    fps,
    ticks,
    height,
    width,
    otHz: s.otHz ?? 120,
    gelHz: s.gelHz ?? 22,
    activeSides,
    createdAt,
    compression: s.compression ?? "blosc",
    noise,
    motionSpeed,
    contacts,
    faults,
    prefixFrames: prefix?.frames ?? 0,
    trickleHz: prefix?.trickleHz ?? 0.6,
  };
  validateFaults(resolved);
  return resolved;
}

/**
 * Contacts must leave the first frame untouched and most of the take uncontacted, so that the p01
 * reference (spec §4) is an untouched gel and drift truth stays what the scenario says.
 */
function checkContactTiming(c: ContactTiming): void {
  const range = (name: string, r: readonly [number, number], min: number) => {
    if (!(Number.isFinite(r[0]) && Number.isFinite(r[1]) && r[0] >= min && r[0] <= r[1]))
      throw new ScenarioError(
        `contacts.${name} must be [lo, hi] with ${min} ≤ lo ≤ hi, got [${r.join(", ")}]`,
      );
  };
  range("firstS", c.firstS, 0.5);
  range("pressS", c.pressS, 0.5);
  range("gapS", c.gapS, 0.5);
  if (c.pressS[1] > c.gapS[0])
    throw new ScenarioError(
      "contacts: the longest press must not exceed the shortest pause (most of the take untouched)",
    );
}
