import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EpisodeReader } from "../../../hw/h5/index.js";
import { generateEpisode } from "../../../sim/episode/generate.js";
import { presetSession } from "../../../sim/episode/presets.js";
import { analyseEpisode } from "../../../stages/detect/analyseEpisode.js";
import { defaultConfig } from "../../../config/index.js";
import { tempDir } from "../../helpers/paths.js";
import { expectedLists, readTruth } from "../../helpers/truth.js";

const PYTHON = "/usr/bin/python3"; // Debian's, with h5py + hdf5plugin

/** Raw and stored bytes of each image dataset, as h5py sees the file. */
function storage(path: string): Record<string, [number, number]> {
  const script = `
import h5py, hdf5plugin, json, sys
out = {}
with h5py.File(sys.argv[1]) as f:
    def visit(name, d):
        if isinstance(d, h5py.Dataset) and d.ndim >= 3:
            out[name] = [int(d.size * d.dtype.itemsize), int(d.id.get_storage_size())]
    f.visititems(visit)
print(json.dumps(out))`;
  const run = spawnSync(PYTHON, ["-c", script, path], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as Record<string, [number, number]>;
}

describe("the realistic sensor noise preset", () => {
  const dir = tempDir();
  const take = join(dir.path, "episode_000.h5");
  beforeAll(async () => {
    const [scenario] = presetSession("realistic", { count: 1, seconds: 10, seed: 4 }).episodes;
    // One second of the take at full resolution: what the sensors put in every frame.
    await generateEpisode({ ...(scenario as object), seed: 4, seconds: 1, faults: [] } as never, take);
  }, 120_000);
  afterAll(dir.cleanup);

  it("compresses with BLOSC as the rig's takes do (~1.5–2.5×), not ~10×", () => {
    const sizes = storage(take);
    expect(Object.keys(sizes).sort()).toEqual([
      "gelsight/left/frames",
      "gelsight/right/frames",
      "realsense/cam0/color",
      "realsense/cam0/depth",
      "realsense/cam1/color",
      "realsense/cam1/depth",
      "realsense/cam2/color",
      "realsense/cam2/depth",
    ]);
    for (const [name, [raw, stored]] of Object.entries(sizes)) {
      expect({ name, low: raw / stored > 1.3 }).toEqual({ name, low: true });
      expect({ name, high: raw / stored < 2.5 }).toEqual({ name, high: true });
    }
    const total = Object.values(sizes).reduce(([r, s], [raw, stored]) => [r + raw, s + stored], [0, 0]);
    expect(total[0] / total[1]).toBeGreaterThan(1.5);
    expect(total[0] / total[1]).toBeLessThan(2.5);
  });

  it("jitters every colour pixel, speckles depth and gives each new gel frame fresh noise", async () => {
    const reader = await EpisodeReader.open(take);
    try {
      const a = reader.color("cam0", 10);
      const b = reader.color("cam0", 11);
      let changed = 0;
      let sum = 0;
      for (let i = 0; i < a.length; i++) {
        const d = Math.abs((a[i] as number) - (b[i] as number));
        if (d > 0) changed++;
        sum += d;
      }
      // σ 0.8 per frame: consecutive frames differ in ~60 % of bytes by ~0.9 levels on average
      // (the marker squares move too, a few hundred pixels): under spec §3's still-camera limit of 2.
      expect(changed / a.length).toBeGreaterThan(0.5);
      expect(sum / a.length).toBeGreaterThan(0.7);
      expect(sum / a.length).toBeLessThan(1.2);
      const depth = reader.depth("cam0", 10);
      const holes = depth.filter((v) => v === 0).length / depth.length;
      expect(holes).toBeGreaterThan(0.01);
      expect(holes).toBeLessThan(0.02);
      // GelSight runs at ~22 Hz against the cameras' 30: some ticks show the same gel frame again
      // (a bitwise repeat), the others a new frame with new noise.
      let repeats = 0;
      for (let k = 1; k < reader.frameCount; k++) {
        const same = Buffer.compare(reader.gel("left", k - 1), reader.gel("left", k)) === 0;
        if (same) repeats++;
      }
      expect(repeats).toBeGreaterThan(3);
      expect(repeats).toBeLessThan(15);
    } finally {
      reader.close();
    }
  });

  it("leaves the truth true: every fault and hard negative of the every-fault session is detected as on clean takes", async () => {
    // A reduced resolution keeps the test small; the noise per pixel, and so every motion statistic
    // the detectors see, is the full resolution's.
    const session = presetSession("every-fault", { seed: 3000, noise: "realistic" });
    for (const [i, scenario] of session.episodes.entries()) {
      const path = join(dir.path, "every-fault", `episode_00${i}.h5`);
      await generateEpisode({ ...scenario, height: 192, width: 256 }, path);
      const truth = readTruth(path.replace(/\.h5$/, ".truth.json"));
      const { result } = await analyseEpisode(path, {
        key: `s/episode_00${i}`,
        detect: defaultConfig().detect,
      });
      expect({ i, lists: result.lists }).toEqual({ i, lists: expectedLists(truth) });
      expect(result.trimOffset).toBe(truth.trim_offset);
      expect(result.activeSensors).toEqual(truth.active_sensors);
      const truthFile = JSON.parse(readFileSync(path.replace(/\.h5$/, ".truth.json"), "utf8"));
      expect({ i, drift: result.driftWarning }).toEqual({
        i,
        drift: truthFile.drift.left || truthFile.drift.right,
      });
    }
  }, 300_000);
});
