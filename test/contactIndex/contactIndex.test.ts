/**
 * The contact index (spec §4) of real-writer fixtures and generated takes, loaded in Debian's stock
 * PyTorch and checked against an independent NumPy implementation of the spec (check_index.py) on
 * the same frames read with h5py.
 *
 * Tolerances, and why:
 * - thumbnails (5 views, ref_first, ref_p01), timestamps, aligned poses, trim, reference index: exact.
 *   Both sides compute integer area totals and round half up; poses are the same rows cast to float32.
 * - area: exact. It is (pixels above tau) / 16384, exact in float32 whichever way it is summed.
 * - intensity, mixed: ≤ 1 float32 ulp. Both sides sum correctly rounded float64 square roots; only the
 *   summation order differs (sequential vs NumPy's pairwise), an error around 1e-13 relative, which can
 *   flip the final rounding to float32 by one ulp at most and only on a near-tie.
 * - drift: ≤ 1e-9 absolute: float64 means of 16,384 distances ≤ 442, summed in a different order.
 * - sidecar statistics: ≤ 5e-7 + 1e-12: they are rounded to 6 decimals for stable text.
 */
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../config/index.js";
import { index } from "../../cli/commands/contactIndex.js";
import { EpisodeError } from "../../hw/h5/index.js";
import { generateEpisode } from "../../sim/episode/generate.js";
import { presetSession } from "../../sim/episode/presets.js";
import type { Scenario } from "../../sim/episode/scenario.js";
import { indexEpisode } from "../../stages/contactIndex/index.js";
import {
  FAULTED_EPISODE,
  FAULTED_TRUTH,
  RECORDER_FIXTURES,
  recorderEpisode,
  tempDir,
} from "../helpers/paths.js";
import { python } from "../helpers/python.js";
import { readTruth } from "../helpers/truth.js";

const CHECKER = new URL("./check_index.py", import.meta.url).pathname;
const detect = loadConfig({ env: {}, sets: [] }).detect;

let work: { path: string; cleanup: () => void };
beforeAll(() => {
  work = tempDir("rigwatch-index-");
});
afterAll(() => work.cleanup());

interface Check {
  keys: string[];
  tensors: Record<string, { tensor: string; shape: number[] }>;
  meta: Record<string, unknown>;
  meta_types: Record<string, string>;
  [field: string]: unknown;
}

function check(pt: string, h5: string, sidecar: string, sides: readonly string[]): Check {
  const script = `import runpy, sys; sys.argv = ${JSON.stringify([CHECKER, pt, h5, sidecar, sides.join(",")])}; runpy.run_path(sys.argv[0], run_name="__main__")`;
  return JSON.parse(python(script)) as Check;
}

const KEYS = [
  "view_left",
  "view_middle",
  "view_right",
  "tactile_left",
  "tactile_right",
  "timestamps",
  "sensor_left_pose",
  "sensor_right_pose",
  "motherboard_pose",
  "tactile_left_intensity",
  "tactile_left_area",
  "tactile_left_mixed",
  "tactile_right_intensity",
  "tactile_right_area",
  "tactile_right_mixed",
  "_contact_meta",
];

const META_TYPES = {
  formula_version: "int",
  tau: "float",
  rgb_norm: "str",
  reference_strategy: "str",
  ref_first_left: "Tensor",
  ref_first_right: "Tensor",
  ref_p01_left: "Tensor",
  ref_p01_right: "Tensor",
  ref_p01_idx_left: "int",
  ref_p01_idx_right: "int",
  drift_left: "float",
  drift_right: "float",
  drift_warning: "bool",
  trim_offset: "int",
  trim_reason: "str",
  pre_trim_n_frames: "int",
  active_sensors: "list",
};

interface Expected {
  readonly frames: number;
  readonly trim: number;
  readonly active: readonly string[];
}

/** Every exact and toleranced assertion of the file header, for one indexed episode. */
function expectContactIndex(r: Check, e: Expected, sidecarPath: string) {
  const T = e.frames - e.trim;
  const image = { tensor: "uint8", shape: [T, 3, 128, 128] };
  const series = { tensor: "float32", shape: [T] };
  const pose = { tensor: "float32", shape: [T, 7] };
  expect(r.keys).toEqual(KEYS);
  expect(r.tensors).toEqual({
    view_left: image,
    view_middle: image,
    view_right: image,
    tactile_left: image,
    tactile_right: image,
    timestamps: { tensor: "float64", shape: [T] },
    sensor_left_pose: pose,
    sensor_right_pose: pose,
    motherboard_pose: pose,
    tactile_left_intensity: series,
    tactile_left_area: series,
    tactile_left_mixed: series,
    tactile_right_intensity: series,
    tactile_right_area: series,
    tactile_right_mixed: series,
  });
  expect(r.meta_types).toEqual(META_TYPES);
  const ref = { tensor: "uint8", shape: [3, 128, 128] };
  const drift = (side: string) => (r.meta[`drift_${side}`] as { float: number }).float;
  expect(r.meta).toEqual({
    formula_version: 1,
    tau: { float: 8 },
    rgb_norm: "L2",
    reference_strategy: "p01",
    ref_first_left: ref,
    ref_first_right: ref,
    ref_p01_left: ref,
    ref_p01_right: ref,
    ref_p01_idx_left: r.numpy_ref_p01_idx_left,
    ref_p01_idx_right: r.numpy_ref_p01_idx_right,
    drift_left: { float: drift("left") },
    drift_right: { float: drift("right") },
    drift_warning: drift("left") > 5 || drift("right") > 5,
    trim_offset: e.trim,
    trim_reason: e.trim > 0 ? "ot_uninitialised" : "none",
    pre_trim_n_frames: e.frames,
    active_sensors: e.active,
  });
  expect(r.numpy_trim_offset).toBe(e.trim);
  expect(r.timestamps_equal).toBe(true);
  for (const body of ["sensor_left", "sensor_right", "motherboard"])
    expect(r[`${body}_pose_equal`]).toBe(true);
  for (const key of ["view_left", "view_middle", "view_right", "tactile_left", "tactile_right"])
    expect(r[`${key}_mismatched_bytes`], key).toBe(0);
  const sidecar = JSON.parse(readFileSync(sidecarPath, "utf8"));
  expect(sidecar).toMatchObject({
    n_frames: T,
    pre_trim_n_frames: e.frames,
    trim_offset: e.trim,
    active_sensors: e.active,
    tau: 8,
    contact_mixed_threshold: 0.4,
  });
  for (const side of ["left", "right"]) {
    expect(r[`ref_p01_${side}_equal`]).toBe(true);
    expect(r[`ref_first_${side}_equal`]).toBe(true);
    expect(r[`drift_${side}_abs_error`] as number).toBeLessThanOrEqual(1e-9);
    expect(r[`${side}_area_exact_frames`]).toBe(T);
    expect(r[`${side}_area_max_ulps`]).toBe(0);
    expect(r[`${side}_intensity_max_ulps`] as number).toBeLessThanOrEqual(1);
    expect(r[`${side}_mixed_max_ulps`] as number).toBeLessThanOrEqual(1);
    for (const metric of ["intensity", "area", "mixed"])
      expect(r[`${side}_${metric}_sidecar_max_abs`] as number).toBeLessThanOrEqual(5e-7 + 1e-12);
    expect(sidecar.sides[side].contact_frames).toBe(r[`${side}_contact_frames`]);
    expect(sidecar.sides[side].ref_p01_idx).toBe(r[`numpy_ref_p01_idx_${side}`]);
    expect(sidecar.sides[side].ref_p01_idx_post_trim).toBe(
      (r[`numpy_ref_p01_idx_${side}`] as number) - e.trim,
    );
  }
}

async function indexInto(h5: string, out: string, zip64Threshold?: number) {
  const episode = await indexEpisode(h5, {
    key: basename(h5),
    detect,
    outDir: out,
    ...(zip64Threshold === undefined ? {} : { zip: { zip64Threshold } }),
  });
  return episode;
}

describe("contact index of the shared fixtures", () => {
  it("faulted take (300 frames, BLOSC): every key, shape, dtype, meta field and metric", async () => {
    const truth = readTruth(FAULTED_TRUTH);
    const out = join(work.path, "faulted");
    const { ptPath, sidecarPath } = await indexInto(FAULTED_EPISODE, out);
    const r = check(ptPath, FAULTED_EPISODE, sidecarPath, truth.active_sensors);
    expectContactIndex(
      r,
      { frames: truth.T, trim: truth.trim_offset, active: truth.active_sensors },
      sidecarPath,
    );
  }, 180_000);

  it.each(["episode_blosc.h5", "episode_lzf.h5", "episode_gzip-shuffle.h5"])(
    "%s (60 frames; zip64 records forced for the gzip one)",
    async (name) => {
      const h5 = join(RECORDER_FIXTURES, name);
      const out = join(work.path, name);
      const { ptPath, sidecarPath, result } = await indexInto(h5, out, name.includes("gzip") ? 0 : undefined);
      const r = check(ptPath, h5, sidecarPath, result.activeSensors);
      expectContactIndex(r, { frames: 60, trim: 0, active: result.activeSensors }, sidecarPath);
    },
    60_000,
  );
});

describe("re-runs", () => {
  it("re-indexing an unchanged episode writes byte-identical .pt and sidecar", async () => {
    const h5 = recorderEpisode("lzf");
    const [a, b] = [
      await indexInto(h5, join(work.path, "rerun-a")),
      await indexInto(h5, join(work.path, "rerun-b")),
    ];
    expect(readFileSync(a.ptPath).equals(readFileSync(b.ptPath))).toBe(true);
    expect(readFileSync(a.sidecarPath, "utf8")).toBe(readFileSync(b.sidecarPath, "utf8"));
  }, 60_000);
});

describe("contact index of generated takes through `rigwatch index`", () => {
  // every-fault take 3: a 3 s OT-uninitialised prefix (trim 90); take 2: right side inactive, left gel drifts.
  // At 320×240, a quarter of the rig's pixels: these takes are about trim, sides and drift, and the
  // fixtures above check the rig's 640×480 (a 240-pixel square is area-averaged to 128 all the same).
  const session = presetSession("every-fault", { seed: 11 });
  const root = () => join(work.path, "dataset");
  const h5 = (i: number) => join(root(), "data", session.task, session.date, `episode_00${i}.h5`);
  const processed = (i: number, ext: string) =>
    join(root(), "processed", "contact", session.task, session.date, `episode_00${i}.${ext}`);
  const truths: Record<number, { T: number; trim_offset: number; active_sensors: string[] }> = {};

  beforeAll(async () => {
    for (const i of [2, 3])
      truths[i] = (
        await generateEpisode({ ...(session.episodes[i] as Scenario), height: 240, width: 320 }, h5(i))
      ).truth;
  }, 60_000);

  it("writes processed/contact/<task>/<date>/episode_NNN.pt and .contact.json for the dataset folder", async () => {
    const lines: string[] = [];
    const log = console.log;
    console.log = (line: string) => lines.push(line);
    try {
      expect(await index(["--json", join(root(), "data")])).toBe(0);
    } finally {
      console.log = log;
    }
    const parsed = lines.map((l) => JSON.parse(l));
    expect(parsed.map((p) => [p.type, p.status, p.pt, p.n_frames, p.trim_offset])).toEqual(
      [2, 3].map((i) => [
        "index",
        "ok",
        processed(i, "pt"),
        (truths[i]?.T ?? 0) - (truths[i]?.trim_offset ?? 0),
        truths[i]?.trim_offset,
      ]),
    );
  }, 60_000);

  it.each([2, 3])(
    "take %i matches NumPy (trim, inactive side, drift)",
    (i) => {
      const truth = truths[i] as { T: number; trim_offset: number; active_sensors: string[] };
      const r = check(processed(i, "pt"), h5(i), processed(i, "contact.json"), truth.active_sensors);
      expectContactIndex(
        r,
        { frames: truth.T, trim: truth.trim_offset, active: truth.active_sensors },
        processed(i, "contact.json"),
      );
    },
    180_000,
  );
});

describe("bad input: a typed error and no .pt, no temp file", () => {
  const nothingIn = (dir: string) => (existsSync(dir) ? readdirSync(dir) : []);

  it("a truncated episode is an EpisodeError before anything is written", async () => {
    mkdirSync(join(work.path, "bad"), { recursive: true });
    const bad = join(work.path, "bad", "episode_000.h5");
    const whole = readFileSync(recorderEpisode("blosc"));
    writeFileSync(bad, whole.subarray(0, whole.length >> 1));
    const out = join(work.path, "bad-out");
    await expect(indexInto(bad, out)).rejects.toBeInstanceOf(EpisodeError);
    expect(nothingIn(out)).toEqual([]);
  });

  it("a camera frame that fails to decode mid-write aborts the .pt: EpisodeError read_failed, no files", async () => {
    const src = recorderEpisode("blosc");
    const broken = join(work.path, "broken", "episode_000.h5");
    mkdirSync(join(work.path, "broken"), { recursive: true });
    copyFileSync(src, broken);
    // cam1 is only read for the view tensors, after the .pt is opened: break its frame 30's BLOSC header.
    const offset = Number(
      python(
        `import h5py, sys; print(h5py.File(sys.argv[1], "r")["realsense/cam1/color"].id.get_chunk_info_by_coord((30, 0, 0, 0)).byte_offset)`,
        [src],
      ).trim(),
    );
    const fd = openSync(broken, "r+");
    writeSync(fd, new Uint8Array(16).fill(0xff), 0, 16, offset);
    closeSync(fd);
    const out = join(work.path, "broken-out");
    const error = await indexInto(broken, out).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EpisodeError);
    expect((error as EpisodeError).code).toBe("read_failed");
    expect(nothingIn(out)).toEqual([]);
  });

  it("the command reports the bad file, indexes the good one, exits 1, and clears a dead run's temp file", async () => {
    const out = join(work.path, "mixed-out");
    mkdirSync(out, { recursive: true });
    const stale = join(out, ".episode_lzf.pt.999999999.tmp");
    writeFileSync(stale, "left by a killed run");
    const notH5 = join(work.path, "episode_999.h5");
    writeFileSync(notH5, "not an HDF5 file");
    const lines: string[] = [];
    const log = console.log;
    console.log = (line: string) => lines.push(line);
    let code: number;
    try {
      code = await index(["--json", "--out", out, notH5, recorderEpisode("lzf")]);
    } finally {
      console.log = log;
    }
    expect(code).toBe(1);
    // Files run in sorted path order, and where the temp folder sorts against the fixtures differs per machine.
    const outcomes = lines.map((l) => JSON.parse(l) as { key: string; status: string; code?: string });
    expect(outcomes.map((o) => [basename(o.key), o.status, o.code ?? null]).sort()).toEqual([
      ["episode_999", "error", "open_failed"],
      ["episode_lzf", "ok", null],
    ]);
    expect(nothingIn(out).sort()).toEqual(["episode_lzf.contact.json", "episode_lzf.pt"]);
  }, 60_000);
});
