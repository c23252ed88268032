import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EpisodeWriter } from "../../../sim/episode/episodeWriter.js";
import { type GenerateResult, generateEpisode } from "../../../sim/episode/generate.js";
import { guessChunk } from "../../../sim/episode/layout.js";
import { planEpisode } from "../../../sim/episode/plan.js";
import { presetSession } from "../../../sim/episode/presets.js";
import { resolveScenario } from "../../../sim/episode/resolveScenario.js";
import type { Fault, Scenario } from "../../../sim/episode/scenario.js";
import { ScenarioError } from "../../../sim/episode/validate.js";
import type { Truth, TruthEvent } from "../../../sim/episode/truth.js";
import { FIXTURES } from "../../helpers/paths.js";

const PYTHON = "/usr/bin/python3"; // Debian's, with h5py + hdf5plugin (the pyenv python3 has neither)
const VERIFY = fileURLToPath(new URL("../../tools/verify_episode.py", import.meta.url));
/** The layouts of four takes the rig's recorder library wrote (test/fixtures/README.md). */
const RECORDER_LAYOUTS = JSON.parse(
  readFileSync(join(FIXTURES, "h5/recorder-layouts.json"), "utf8"),
) as Record<string, Layout>;
/** The truth of the team's original faulted take, which seed 206's take 0 reproduces. */
const ORIGINAL_TRUTH = join(FIXTURES, "h5/original-faulted.truth.json");

interface DatasetLayout {
  dtype: string;
  shape: number[];
  maxshape: (number | null)[];
  chunks: number[] | null;
  filters: { id: number; flags: number; cd_values: number[] }[];
}
interface Layout {
  datasets: Record<string, DatasetLayout>;
  attrs: Record<string, { dtype: string; encoding: string | null; shape: number[]; value: unknown }>;
  groups: string[];
}
type DerivedEvent = TruthEvent & { l2_to_prev?: number; cam_motion_max?: number; gel_changed?: number };
interface Verified {
  layout: Layout;
  derived: {
    T: number;
    trim_offset: number;
    active_sensors: string[];
    events: DerivedEvent[];
    drift: { left: boolean; right: boolean };
  };
  stats: {
    cam_motion_max: number;
    gel_changed_frames: Record<string, number>;
    drift_value: Record<string, number>;
    ot_samples: Record<string, number>;
    travel: Record<string, number>;
  };
}

function python(args: string[], input?: string): string {
  const r = spawnSync(PYTHON, args, { encoding: "utf8", input, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`python ${args.join(" ")} failed: ${r.stderr}`);
  return r.stdout;
}

/** Reads an episode with h5py, independently of the generator (see verify_episode.py). */
const verify = (path: string): Verified => JSON.parse(python([VERIFY, path])) as Verified;
const layoutOf = (path: string): Layout =>
  (JSON.parse(python([VERIFY, "--layout", path])) as Verified).layout;

const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");
const truthEvents = (events: DerivedEvent[]): TruthEvent[] =>
  events.map(({ l2_to_prev: _a, cam_motion_max: _b, gel_changed: _c, ...e }) => e);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "rigwatch-generate-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("guessChunk", () => {
  it("chooses the chunks h5py chooses for resizable OT and timestamp datasets", () => {
    const shapes = [[1200, 7], [1110, 7], [1200], [300], [0, 7], [3601, 7], [36001, 7], [18000]];
    const h5py = JSON.parse(
      python(
        [
          "-c",
          "import json,sys; from h5py._hl.filters import guess_chunk as g; print(json.dumps([list(g(tuple(s), None, 8)) for s in json.load(sys.stdin)]))",
        ],
        JSON.stringify(shapes),
      ),
    );
    expect(shapes.map((s) => guessChunk(s, 8))).toEqual(h5py);
    expect(guessChunk([1200, 7], 8)).toEqual([300, 4]);
    expect(guessChunk([1110, 7], 8)).toEqual([278, 4]);
    expect(guessChunk([0, 7], 8)).toEqual([256, 4]);
  });
});

describe("the fixture's take, regenerated at full resolution", () => {
  let result: GenerateResult;
  let verified: Verified;
  let fixture: Layout;
  beforeAll(async () => {
    const session = presetSession("every-fault", { seed: 206 });
    result = await generateEpisode(session.episodes[0] as Scenario, join(dir, "fixture", "episode_000.h5"));
    verified = verify(result.h5Path);
    fixture = RECORDER_LAYOUTS["faulted/episode_000.h5"] as Layout;
  });

  it("has the fixture's truth", () => {
    const expected = JSON.parse(readFileSync(ORIGINAL_TRUTH, "utf8")) as Omit<Truth, "drift">;
    const { drift, ...rest } = result.truth;
    expect(rest).toEqual(expected);
    expect(drift).toEqual({ left: false, right: false });
    expect(readFileSync(result.truthPath, "utf8")).toBe(JSON.stringify(result.truth, null, 1));
  });

  it("has the fixture's groups, datasets, dtypes, chunks, filters and attribute types", () => {
    const ours = verified.layout;
    expect(ours.groups).toEqual(fixture.groups);
    expect(Object.keys(ours.datasets).sort()).toEqual(Object.keys(fixture.datasets).sort());
    for (const [path, theirs] of Object.entries(fixture.datasets)) {
      const mine = ours.datasets[path] as DatasetLayout;
      expect({ path, dtype: mine.dtype, maxshape: mine.maxshape }).toEqual({
        path,
        dtype: theirs.dtype,
        maxshape: theirs.maxshape,
      });
      // h5wasm sets filters as mandatory where h5py marks them optional (flags 0 vs 1); ids and cd_values match.
      expect(mine.filters.map(({ id, cd_values }) => ({ id, cd_values }))).toEqual(
        theirs.filters.map(({ id, cd_values }) => ({ id, cd_values })),
      );
      // OT sample counts depend on the seed's clock jitter; their chunks follow h5py's guess for that count.
      if (path.startsWith("optitrack/")) expect(mine.chunks).toEqual(guessChunk(mine.shape, 8));
      else
        expect({ path, shape: mine.shape, chunks: mine.chunks }).toEqual({
          path,
          shape: theirs.shape,
          chunks: theirs.chunks,
        });
    }
    expect(ours.datasets["realsense/cam0/color"]).toMatchObject({
      dtype: "|u1",
      shape: [300, 480, 640, 3],
      chunks: [1, 480, 640, 3],
      filters: [{ id: 32001, cd_values: [2, 2, 1, 921600, 5, 1, 1] }],
    });
    expect(ours.datasets["realsense/cam2/depth"]).toMatchObject({
      dtype: "<u2",
      shape: [300, 480, 640],
      chunks: [1, 480, 640],
      filters: [{ id: 32001, cd_values: [2, 2, 2, 614400, 5, 1, 1] }],
    });
    expect(ours.datasets["gelsight/right/frames"]?.shape).toEqual([300, 480, 640, 3]);
    expect(ours.datasets.timestamps).toEqual({
      dtype: "<f8",
      shape: [300],
      maxshape: [null],
      chunks: [300],
      filters: [],
    });
    expect(ours.attrs).toEqual(fixture.attrs);
    expect(ours.attrs.fps).toEqual({ dtype: "<i8", encoding: null, shape: [], value: 30 });
    expect(ours.attrs.realsense_serials?.value).toEqual(["143322063538", "104122062574", "217222066989"]);
  });

  it("holds what its truth says, read back with h5py", () => {
    expect(verified.derived.T).toBe(300);
    expect(truthEvents(verified.derived.events)).toEqual(result.truth.events);
    expect(verified.derived.trim_offset).toBe(0);
    expect(verified.derived.active_sensors).toEqual(["left", "right"]);
    expect(verified.derived.drift).toEqual({ left: false, right: false });
    // The flicker frame differs from the one before by ~100 mean RGB L2 (fixture: 119).
    expect(verified.derived.events[0]?.l2_to_prev).toBeCloseTo(100.955, 2);
    expect(verified.stats.ot_samples).toEqual({ motherboard: 1201, sensor_left: 1201, sensor_right: 1114 });
    // GelSight repeats ticks by design; cameras only move a few squares plus sparse noise.
    expect(verified.stats.gel_changed_frames.left).toBeLessThan(150);
    expect(verified.stats.cam_motion_max).toBeLessThan(1);
  });
});

describe("the every-fault session, read back with h5py", () => {
  const session = presetSession("every-fault", { seed: 11 });
  const results: GenerateResult[] = [];
  const verifiedAll: Verified[] = [];
  beforeAll(async () => {
    // Episodes 1-3 at quarter size: these checks do not depend on the resolution.
    for (const [i, scenario] of session.episodes.slice(1).entries()) {
      const path = join(dir, "session", `episode_00${i + 1}.h5`);
      results.push(await generateEpisode({ ...scenario, height: 240, width: 320 }, path));
      verifiedAll.push(verify(path));
    }
  });

  it("episode 1: stall, invalid samples, 2-frame flicker, operator rest, sign flip, vertical glitch", () => {
    const [r, v] = [results[0] as GenerateResult, verifiedAll[0] as Verified];
    expect(r.truth.events).toEqual([
      { mode: "pipeline_stall", start: 40, end: 55, bad: true },
      { mode: "ot_loss", kind: "invalid", body: "sensor_right", start: 75, end: 75, bad: true },
      { mode: "intensity_spike", side: "right", start: 110, end: 111, bad: true },
      { mode: "real_still", kind: "held", body: "sensor_left", start: 150, end: 185, bad: false },
      { mode: "real_still", kind: "held", body: "sensor_right", start: 150, end: 185, bad: false },
      { mode: "sign_flip", body: "sensor_left", start: 230, end: 230, bad: false },
      { mode: "teleport", kind: "translation", body: "sensor_right", start: 260, end: 260, bad: true },
    ]);
    expect(truthEvents(v.derived.events)).toEqual(r.truth.events);
    const still = v.derived.events.filter((e) => e.mode === "real_still");
    // The rest is a rest: cameras change by sensor noise only (never bitwise), gels do not change at all.
    for (const e of still) {
      expect(e.cam_motion_max).toBeGreaterThan(0);
      expect(e.cam_motion_max).toBeLessThan(0.03);
      expect(e.gel_changed).toBe(0);
    }
    expect(v.derived.drift).toEqual({ left: false, right: false });
  });

  it("episode 2: an inactive side's OT faults and a held motherboard are hard negatives; the left gel drifts", () => {
    const [r, v] = [results[1] as GenerateResult, verifiedAll[1] as Verified];
    expect(r.truth.active_sensors).toEqual(["left"]);
    expect(r.truth.events).toEqual([
      { mode: "ot_loss", kind: "held", body: "sensor_right", start: 60, end: 80, bad: false },
      { mode: "teleport", kind: "translation", body: "sensor_left", start: 100, end: 100, bad: true },
      { mode: "teleport", kind: "rotation", body: "sensor_right", start: 120, end: 120, bad: false },
      { mode: "intensity_spike", side: "right", start: 150, end: 152, bad: true },
      { mode: "ot_loss", kind: "gap", body: "sensor_right", start: 200, end: 215, bad: false },
      { mode: "ot_loss", kind: "held", body: "motherboard", start: 240, end: 260, bad: false },
    ]);
    expect(r.truth.drift).toEqual({ left: true, right: false });
    expect(v.derived.active_sensors).toEqual(["left"]);
    expect(truthEvents(v.derived.events)).toEqual(r.truth.events);
    expect(v.derived.drift).toEqual(r.truth.drift);
    expect(v.stats.drift_value.left).toBeGreaterThan(5);
    expect(v.stats.drift_value.right).toBe(0);
    // Inactive: the body moves less than 1 cm and its gel changes only for the flicker (in and out).
    expect(v.stats.travel.right).toBeLessThan(0.01);
    expect(v.stats.gel_changed_frames.right).toBe(2);
  });

  it("episode 3: an OT-uninitialised prefix sets trim_offset; the right gel drifts", () => {
    const [r, v] = [results[2] as GenerateResult, verifiedAll[2] as Verified];
    expect(r.truth.trim_offset).toBe(90);
    expect(v.derived.trim_offset).toBe(90);
    expect(r.truth.events).toEqual([
      { mode: "ot_loss", kind: "gap", body: "sensor_left", start: 150, end: 170, bad: true },
      { mode: "teleport", kind: "rotation", body: "sensor_right", start: 200, end: 200, bad: true },
      { mode: "ot_loss", kind: "invalid", body: "sensor_left", start: 240, end: 240, bad: true },
    ]);
    expect(truthEvents(v.derived.events)).toEqual(r.truth.events);
    expect(r.truth.drift).toEqual({ left: false, right: true });
    expect(v.derived.drift).toEqual(r.truth.drift);
  });

  it("the prefix only trickles (~0.6 Hz) and every body streams at ~120 Hz after it", () => {
    const plan = planEpisode(session.episodes[3] as Scenario);
    const steady = plan.ts[89] as number;
    for (const body of ["motherboard", "sensor_left", "sensor_right"] as const) {
      const times = Array.from(plan.ot.streams[body].times);
      const before = times.filter((t) => t <= steady);
      expect(before.length).toBe(2);
      expect((before[1] as number) - (before[0] as number)).toBeCloseTo(200 / 120, 1);
      expect(steady - (before[1] as number)).toBeGreaterThan(0.6);
      const after = times.filter((t) => t > steady && t < steady + 1);
      expect(after.length).toBeGreaterThanOrEqual(119);
    }
  });
});

describe("determinism", () => {
  const scenario: Scenario = {
    seed: 4242,
    ticks: 150,
    height: 96,
    width: 128,
    faults: [
      { type: "held", body: "sensor_left", start: 20, end: 60 },
      { type: "zero_quat", body: "sensor_right", at: 30 },
      { type: "pipeline_stall", start: 70, end: 80 },
      { type: "led_flicker", side: "left", start: 90, count: 3 },
      { type: "teleport_rotation", body: "sensor_right", at: 100 },
      { type: "gel_drift", side: "right", from: 50 },
      { type: "sign_flip", body: "sensor_right", at: 120 },
      { type: "gap", body: "sensor_left", start: 130, end: 140 },
    ],
  };

  it("writes byte-identical files and truth for the same seed, and different ones for another seed", async () => {
    const a = await generateEpisode(scenario, join(dir, "det-a", "episode_000.h5"));
    const b = await generateEpisode(scenario, join(dir, "det-b", "episode_000.h5"));
    const c = await generateEpisode({ ...scenario, seed: 4243 }, join(dir, "det-c", "episode_000.h5"));
    expect(sha256(a.h5Path)).toBe(sha256(b.h5Path));
    expect(readFileSync(a.truthPath, "utf8")).toBe(readFileSync(b.truthPath, "utf8"));
    expect(sha256(c.h5Path)).not.toBe(sha256(a.h5Path));
    expect(truthEvents(verify(a.h5Path).derived.events)).toEqual(a.truth.events);
  });
});

describe("a clean take", () => {
  it("has no events, no trim, both sides active and no drift, in its truth and in its data", async () => {
    const session = presetSession("clean", { seed: 5, seconds: 4 });
    const r = await generateEpisode(
      { ...(session.episodes[0] as Scenario), height: 96, width: 128 },
      join(dir, "clean", "episode_000.h5"),
    );
    expect(r.truth).toEqual({
      path: "episode_000.h5",
      fps: 30,
      T: 120,
      res: [96, 128],
      trim_offset: 0,
      active_sensors: ["left", "right"],
      events: [],
      seed: 5,
      drift: { left: false, right: false },
    });
    const v = verify(r.h5Path);
    expect(v.derived).toEqual({
      T: 120,
      trim_offset: 0,
      active_sensors: ["left", "right"],
      events: [],
      drift: { left: false, right: false },
    });
  });
});

describe("EpisodeWriter", () => {
  const header = {
    task: "t",
    fps: 30,
    createdAt: "2026-05-31T05:40:00",
    ticks: 40,
    height: 48,
    width: 64,
  } as const;

  it.each([
    ["gzip", [{ id: 1, cd_values: [4] }]],
    ["lzf", [{ id: 32000, cd_values: [4, 261, 9216] }]],
    ["none", []],
  ] as const)("writes %s image datasets", async (compression, filters) => {
    const r = await generateEpisode(
      { seed: 3, ...header, compression },
      join(dir, `c-${compression}`, "episode_000.h5"),
    );
    const layout = layoutOf(r.h5Path);
    for (const path of ["realsense/cam1/color", "gelsight/left/frames"]) {
      expect(layout.datasets[path]?.filters.map(({ id, cd_values }) => ({ id, cd_values }))).toEqual(filters);
    }
    expect(layout.datasets["realsense/cam1/depth"]?.filters.map((f) => f.id)).toEqual(
      filters.map((f) => f.id),
    );
  });

  it("never leaves a partial file under the episode's name", async () => {
    const folder = join(dir, "partial");
    mkdirSync(folder);
    const w = await EpisodeWriter.create(join(folder, "episode_000.h5"), { ...header, compression: "blosc" });
    expect(readdirSync(folder)).toEqual([".episode_000.h5.partial"]);
    expect(() => w.commit()).toThrow("tick 0 was never written");
    w.abort();
    expect(readdirSync(folder)).toEqual([]);
    expect(existsSync(join(folder, "episode_000.h5"))).toBe(false);
  });
});

describe("scenario validation", () => {
  const base: Scenario = { seed: 1, ticks: 300 };
  it.each([
    [{ type: "held", body: "sensor_left", start: 50, end: 55 }, "held needs ≥ 9 frames"],
    [{ type: "gap", body: "sensor_left", start: 50, end: 52 }, "gap needs end - start ≥ 4"],
    [{ type: "pipeline_stall", start: 10, end: 15 }, "stall needs ≥ 9"],
    [{ type: "real_still", start: 100, end: 110 }, "real_still needs ≥ 0.5 s"],
    [{ type: "led_flicker", side: "left", start: 40, count: 4 }, "count in 1..3"],
    [{ type: "gel_drift", side: "left", from: 200 }, "from in [1, 120]"],
    [{ type: "teleport_rotation", body: "sensor_left", at: 299 }, "not in [1, 298]"],
  ] as [Fault, string][])("rejects %j", (fault, message) => {
    expect(() => resolveScenario({ ...base, faults: [fault] })).toThrow(message);
  });

  it("rejects overlapping OT faults on one body, faults inside the trimmed prefix, and a busy real_still window", () => {
    expect(() =>
      resolveScenario({
        ...base,
        faults: [
          { type: "held", body: "sensor_left", start: 100, end: 130 },
          { type: "teleport_translation", body: "sensor_left", at: 120 },
        ],
      }),
    ).toThrow(ScenarioError);
    expect(() =>
      resolveScenario({
        ...base,
        faults: [
          { type: "ot_uninitialised_prefix", frames: 60 },
          { type: "gap", body: "sensor_left", start: 70, end: 80 },
        ],
      }),
    ).toThrow("starts before frame 90");
    expect(() =>
      resolveScenario({
        ...base,
        faults: [
          { type: "real_still", start: 100, end: 130 },
          { type: "led_flicker", side: "left", start: 150 },
        ],
      }),
    ).toThrow("lies in its ±1 s diagnosis window");
  });

  it("rejects an OT-loss hold that ends without a re-acquisition jump", () => {
    expect(() =>
      planEpisode({ ...base, faults: [{ type: "held", body: "sensor_left", start: 100, end: 108 }] }),
    ).toThrow(/moved only .* during the hold/);
  });
});
