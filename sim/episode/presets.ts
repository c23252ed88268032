import { type RandomScenarioOptions, randomScenario } from "./random.js";
import type { Scenario } from "./scenario.js";
import type { SensorNoise } from "./sensorNoise.js";

/** A session: one `<task>/<date>` folder of takes. */
export interface Session {
  readonly task: string;
  /** Folder name, YYYY-MM-DD (the first take's UTC date). */
  readonly date: string;
  readonly episodes: readonly Scenario[];
}

export interface PresetOptions {
  /** Base seed; take i uses seed + i. */
  readonly seed?: number;
  /**
   * Take length for `clean`, `long` and `realistic` (default 10, 30 and 20 s); `every-fault` takes are
   * at least 10 s; `random` takes are all this long when given (default: each 10–30 s, see
   * `random.seconds`).
   */
  readonly seconds?: number;
  /** Number of `random` takes (default 4; take i is `randomScenario(seed + i)`) or `realistic` ones (8). */
  readonly count?: number;
  /** Sensor noise of every take (default `clean`; `realistic` for the preset of that name). */
  readonly noise?: SensorNoise;
  /** Further options of the `random` takes (`seconds` above wins over `random.seconds`). */
  readonly random?: RandomScenarioOptions;
}

export const PRESETS = ["every-fault", "clean", "long", "random", "realistic"] as const;
export type PresetName = (typeof PRESETS)[number];

const TASK = "motherboard";
const DATE = "2026-05-31";
/** Takes of a session start a few minutes apart. */
const startAt = (i: number) => {
  const minutes = 5 * 60 + 40 + 3 * i;
  const two = (n: number) => String(n).padStart(2, "0");
  return `${DATE}T${two(Math.floor(minutes / 60))}:${two(minutes % 60)}:00`;
};

/**
 * Four ~10 s takes that together cover every fault and every hard negative:
 * 0 — the real fixture's faults at the fixture's frames (flicker, translation glitch, gap, hold, rotation glitch);
 * 1 — pipeline stall, zero quaternions, a 2-frame flicker, an operator rest (real_still), a sign flip, a vertical glitch;
 * 2 — right side inactive: OT faults on its body and a held motherboard are hard negatives; its flicker still
 *     counts; the left gel drifts; one real glitch on the left;
 * 3 — OT-uninitialised prefix of 3 s (trim 90), then a gap, a rotation glitch, invalid samples and a right drift.
 */
function everyFault(seed: number, seconds: number): Scenario[] {
  const common = { task: TASK, seconds: Math.max(10, seconds) };
  return [
    {
      ...common,
      seed,
      createdAt: startAt(0),
      faults: [
        { type: "led_flicker", side: "left", start: 31 },
        { type: "teleport_translation", body: "sensor_left", at: 58, sample: -1 },
        { type: "gap", body: "sensor_right", start: 87, end: 110 },
        { type: "held", body: "sensor_left", start: 157, end: 222 },
        { type: "teleport_rotation", body: "sensor_left", at: 251 },
      ],
    },
    {
      ...common,
      seed: seed + 1,
      createdAt: startAt(1),
      faults: [
        { type: "pipeline_stall", start: 40, end: 55 },
        { type: "zero_quat", body: "sensor_right", at: 75, count: 3 },
        { type: "led_flicker", side: "right", start: 110, count: 2 },
        { type: "real_still", start: 150, end: 185 },
        { type: "sign_flip", body: "sensor_left", at: 230 },
        { type: "teleport_translation", body: "sensor_right", at: 260, meters: 0.25, direction: [0, 0, 1] },
      ],
    },
    {
      ...common,
      seed: seed + 2,
      createdAt: startAt(2),
      activeSides: ["left"],
      faults: [
        { type: "held", body: "sensor_right", start: 60, end: 80 },
        { type: "teleport_translation", body: "sensor_left", at: 100 },
        { type: "teleport_rotation", body: "sensor_right", at: 120 },
        { type: "led_flicker", side: "right", start: 150, count: 3 },
        { type: "gap", body: "sensor_right", start: 200, end: 215 },
        { type: "held", body: "motherboard", start: 240, end: 260 },
        { type: "gel_drift", side: "left", from: 60, brighten: 12 },
      ],
    },
    {
      ...common,
      seed: seed + 3,
      createdAt: startAt(3),
      faults: [
        { type: "ot_uninitialised_prefix", frames: 90 },
        { type: "gap", body: "sensor_left", start: 150, end: 170 },
        { type: "teleport_rotation", body: "sensor_right", at: 200, degrees: 120, axis: "y" },
        { type: "zero_quat", body: "sensor_left", at: 240, count: 2 },
        { type: "gel_drift", side: "right", from: 120, brighten: 10 },
      ],
    },
  ];
}

/**
 * One long full-resolution take with a couple of faults spread over it (benchmark input): a hold at
 * ~35 %, a flicker at ~60 %, a translation glitch at ~80 %.
 */
function long(seed: number, seconds: number, i = 0): Scenario {
  const fps = 30;
  const T = Math.round(seconds * fps);
  if (T < 300) throw new Error("long takes are at least 10 s");
  const at = (x: number) => Math.round(x * T);
  return {
    task: TASK,
    seed,
    seconds,
    createdAt: startAt(i),
    faults: [
      { type: "held", body: "sensor_left", start: at(0.35), end: at(0.35) + 60 },
      { type: "led_flicker", side: "right", start: at(0.6) },
      { type: "teleport_translation", body: "sensor_right", at: at(0.8) },
    ],
  };
}

/**
 * A session of `count` full-resolution takes as the rig records them (benchmark input): each a `long`
 * take (a hold, a flicker, a glitch) with realistic sensor noise, so frames compress as real ones do.
 */
function realistic(seed: number, seconds: number, count: number): Scenario[] {
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`count must be a positive integer, got ${count}`);
  return Array.from({ length: count }, (_, i) => ({ ...long(seed + i, seconds, i), noise: "realistic" }));
}

export function presetSession(name: PresetName, options: PresetOptions = {}): Session {
  const session = presetScenarios(name, options);
  if (options.noise === undefined) return session;
  const noise = options.noise;
  return { ...session, episodes: session.episodes.map((e) => ({ ...e, noise })) };
}

function presetScenarios(name: PresetName, options: PresetOptions): Session {
  const seed = options.seed ?? 1;
  switch (name) {
    case "every-fault":
      return { task: TASK, date: DATE, episodes: everyFault(seed, options.seconds ?? 10) };
    case "clean":
      return {
        task: TASK,
        date: DATE,
        episodes: [0, 1].map((i) => ({
          task: TASK,
          seed: seed + i,
          seconds: options.seconds ?? 10,
          createdAt: startAt(i),
        })),
      };
    case "long":
      return { task: TASK, date: DATE, episodes: [long(seed, options.seconds ?? 30)] };
    case "realistic":
      return {
        task: TASK,
        date: DATE,
        episodes: realistic(seed, options.seconds ?? 20, options.count ?? 8),
      };
    case "random": {
      // Take i is randomScenario(seed + i) (random.ts): 10–30 s, 0–6 randomly placed and sized faults of
      // every kind, sometimes an inactive side, an OT-uninitialised prefix or a gel drift, random contact
      // schedules and motion speeds. A take depends only on its own seed (its start time too), so
      // `--preset random --seed S` regenerates take S as episode_000 whatever session it came from.
      const count = options.count ?? 4;
      if (!Number.isInteger(count) || count < 1)
        throw new Error(`count must be a positive integer, got ${count}`);
      const random: RandomScenarioOptions = {
        ...options.random,
        ...(options.seconds === undefined ? {} : { seconds: options.seconds }),
      };
      return {
        task: random.task ?? TASK,
        date: DATE,
        episodes: Array.from({ length: count }, (_, i) => randomScenario(seed + i, random)),
      };
    }
  }
}
