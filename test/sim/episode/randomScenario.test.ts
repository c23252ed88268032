import { describe, expect, it } from "vitest";
import { planEpisode } from "../../../sim/episode/plan.js";
import { presetSession } from "../../../sim/episode/presets.js";
import { drawRandomScenario, RANDOM_FAULT_KINDS, randomScenario } from "../../../sim/episode/random.js";
import { resolveScenario } from "../../../sim/episode/resolveScenario.js";
import type { Fault, Scenario } from "../../../sim/episode/scenario.js";

const SEEDS = Array.from({ length: 200 }, (_, i) => i);
const draws = SEEDS.map((seed) => drawRandomScenario(seed));
const faultsOf = (s: Scenario): readonly Fault[] => s.faults ?? [];
const spanOf = (f: Fault): number => {
  switch (f.type) {
    case "held":
    case "real_still":
    case "pipeline_stall":
      return f.end - f.start + 1;
    case "gap":
      return f.end - f.start;
    case "zero_quat":
      return f.count ?? 3;
    case "led_flicker":
      return f.count ?? 1;
    default:
      return 1;
  }
};

describe("the random preset", () => {
  it("is deterministic per seed, and different across seeds", () => {
    for (const seed of [0, 1, 17, 199, 123456]) {
      expect(JSON.stringify(randomScenario(seed))).toBe(JSON.stringify(randomScenario(seed)));
    }
    expect(JSON.stringify(draws[5]?.scenario)).toBe(JSON.stringify(randomScenario(5)));
    const distinct = new Set(draws.map((d) => JSON.stringify({ ...d.scenario, seed: 0, createdAt: "" })));
    expect(distinct.size).toBe(SEEDS.length);
  });

  it("draws only scenarios the validator and the planner accept (seeds 0..199)", () => {
    for (const { scenario } of draws) {
      const resolved = resolveScenario(scenario);
      planEpisode(resolved);
      // 10–30 s takes with 0–6 placed faults (+ the prefix and drift, which are drawn separately).
      expect(resolved.ticks).toBeGreaterThanOrEqual(300);
      expect(resolved.ticks).toBeLessThanOrEqual(900);
      const placed = faultsOf(scenario).filter((f) =>
        (RANDOM_FAULT_KINDS as readonly string[]).includes(f.type),
      );
      expect(placed.length).toBeLessThanOrEqual(6);
    }
  });

  it("covers every kind of fault, both sides, the extras, and the drawn sizes across seeds 0..199", () => {
    const all = draws.flatMap((d) => faultsOf(d.scenario).map((f) => ({ f, s: d.scenario })));
    const types = new Set(all.map(({ f }) => f.type));
    for (const kind of [...RANDOM_FAULT_KINDS, "ot_uninitialised_prefix", "gel_drift"] as const) {
      expect(types, kind).toContain(kind);
    }
    const counts = draws.map(
      (d) => faultsOf(d.scenario).filter((f) => RANDOM_FAULT_KINDS.includes(f.type as never)).length,
    );
    for (let n = 0; n <= 6; n++) expect(counts, `takes with ${n} faults`).toContain(n);
    const of = <T extends Fault["type"]>(type: T) =>
      all.filter(({ f }) => f.type === type).map(({ f }) => f as Extract<Fault, { type: T }>);

    // Sizes stay in the brief's ranges (a gap of d seconds spans ceil(30 d) + 1 frames).
    const span = (type: Fault["type"]) => of(type).map(spanOf);
    expect(Math.min(...span("held"))).toBeGreaterThanOrEqual(9);
    expect(Math.max(...span("held"))).toBeLessThanOrEqual(90);
    expect(Math.min(...span("gap"))).toBeGreaterThanOrEqual(5);
    expect(Math.max(...span("gap"))).toBeLessThanOrEqual(61);
    expect(new Set(span("zero_quat"))).toEqual(new Set([1, 2, 3, 4, 5]));
    expect(new Set(span("led_flicker"))).toEqual(new Set([1, 2, 3]));
    expect(Math.min(...span("pipeline_stall"))).toBeGreaterThanOrEqual(10);
    expect(Math.max(...span("pipeline_stall"))).toBeLessThanOrEqual(60);
    expect(Math.min(...span("real_still"))).toBeGreaterThanOrEqual(15);
    expect(Math.max(...span("real_still"))).toBeLessThanOrEqual(60);
    for (const f of of("teleport_translation")) {
      expect(f.meters).toBeGreaterThanOrEqual(0.1);
      expect(f.meters).toBeLessThanOrEqual(0.5);
      expect(Math.hypot(...(f.direction ?? [1, 0, 0]))).toBeCloseTo(1, 2);
    }
    for (const f of of("teleport_rotation")) {
      expect(f.degrees).toBeGreaterThanOrEqual(60);
      expect(f.degrees).toBeLessThanOrEqual(180);
      expect(Array.isArray(f.axis)).toBe(true);
    }
    for (const f of of("ot_uninitialised_prefix")) {
      expect(f.frames).toBeGreaterThanOrEqual(30);
      expect(f.frames).toBeLessThanOrEqual(150);
    }

    // OT faults land on active sensor bodies mostly, and sometimes on bodies the detectors must ignore.
    const otFaults = all.filter(({ f }) => "body" in f);
    const onActive = otFaults.filter(({ f, s }) =>
      (s.activeSides ?? ["left", "right"]).some((side) => "body" in f && f.body === `sensor_${side}`),
    );
    expect(onActive.length / otFaults.length).toBeGreaterThan(0.6);
    expect(onActive.length).toBeLessThan(otFaults.length);
    expect(new Set(otFaults.map(({ f }) => ("body" in f ? f.body : "")))).toEqual(
      new Set(["motherboard", "sensor_left", "sensor_right"]),
    );
    const sides = draws.map((d) => (d.scenario.activeSides ?? []).join("+"));
    expect(new Set(sides)).toEqual(new Set(["left+right", "left", "right"]));
    const speeds = draws.map((d) => d.scenario.motionSpeed ?? 1);
    expect(Math.min(...speeds)).toBeLessThan(0.7);
    expect(Math.max(...speeds)).toBeGreaterThan(1.8);
    expect(new Set(draws.map((d) => JSON.stringify(d.scenario.contacts))).size).toBe(SEEDS.length);
  });

  it("redraws a fault the validator rejects, and gives up after the attempts allowed", () => {
    // Across 200 seeds some draws collide (overlaps on one body, busy real_still windows) and are redrawn.
    expect(draws.some((d) => d.rejections.length > 0)).toBe(true);
    // With a single attempt a colliding fault is dropped instead, and what remains is still valid.
    const strict = SEEDS.slice(0, 40).map((seed) => drawRandomScenario(seed, { maxAttempts: 1, faults: 6 }));
    expect(strict.some((d) => d.dropped.length > 0)).toBe(true);
    for (const d of strict) planEpisode(resolveScenario(d.scenario));
  });

  it("honours its options", () => {
    const d = drawRandomScenario(7, { seconds: 4, faults: 3, kinds: ["gap"], pPrefix: 0, pDrift: 0 });
    expect(resolveScenario(d.scenario).ticks).toBe(120);
    expect(faultsOf(d.scenario).map((f) => f.type)).toEqual(
      Array.from({ length: 3 - d.dropped.length }, () => "gap"),
    );
  });

  it("is the `random` preset: take i is randomScenario(seed + i)", () => {
    const session = presetSession("random", { seed: 40, count: 3, seconds: 12 });
    expect(session.episodes).toEqual([40, 41, 42].map((seed) => randomScenario(seed, { seconds: 12 })));
    expect(presetSession("random", { seed: 9 }).episodes[0]).toEqual(randomScenario(9));
  });
});
