import { copyFileSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { basename, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  compressEpisode,
  DEFAULT_GZIP_LEVEL,
  legacyTempPathFor,
  tempPathFor,
  thisHost,
} from "../../stages/compress/index.js";
import { tempDir } from "../helpers/paths.js";
import { copyFixture, FIXTURES, listing, sha256 } from "./files.js";
import { compareWithH5py, readWithoutPlugins } from "./h5py.js";

const DATASETS = [
  "gelsight/left/frames",
  "gelsight/right/frames",
  "optitrack/motherboard/pose",
  "optitrack/motherboard/timestamps",
  "optitrack/sensor_left/pose",
  "optitrack/sensor_left/timestamps",
  "optitrack/sensor_right/pose",
  "optitrack/sensor_right/timestamps",
  "realsense/cam0/color",
  "realsense/cam0/depth",
  "realsense/cam1/color",
  "realsense/cam1/depth",
  "realsense/cam2/color",
  "realsense/cam2/depth",
  "timestamps",
];

let dir: { path: string; cleanup: () => void };
beforeEach(() => {
  dir = tempDir("rigwatch-compress-");
});
afterEach(() => dir.cleanup());

describe.each(Object.entries(FIXTURES))("compress %s fixture", (name, fixture) => {
  it("writes GZIP copies of every dataset, bit-exact, with every attribute, readable without plugins", async () => {
    const path = copyFixture(fixture, dir.path);
    const result = await compressEpisode(path, { force: name === "gzip-shuffle" });
    expect(result.status).toBe("compressed");
    expect(result.removedLeftover).toBe(false);
    expect(listing(dir.path)).toEqual(["episode_000.h5"]);

    const report = compareWithH5py(fixture, path);
    expect(report.names.copy).toEqual(report.names.orig);
    expect(Object.keys(report.datasets)).toEqual(DATASETS);
    for (const dataset of DATASETS) {
      expect({ dataset, ...report.datasets[dataset] }).toEqual({
        dataset,
        ...report.datasets[dataset],
        // The fixtures' chunks all fit their shapes, so clamping keeps them.
        chunks: report.source_chunks[dataset],
        compression: "gzip",
        compression_opts: DEFAULT_GZIP_LEVEL,
        shuffle: false,
        equal: true,
      });
    }
    expect(report.datasets["realsense/cam0/depth"]).toMatchObject({
      dtype: "<u2",
      shape: [60, 480, 640],
      maxshape: [null, 480, 640],
      chunks: [1, 480, 640],
    });
    expect(report.attributes.copy).toEqual(report.attributes.orig);
    expect(report.attributes.copy["metadata"]).toEqual({
      created_at: "2026-05-30T00:30:00",
      fps: 30,
      gelsight_serials: ["2BGLKZNT", "2BKRDTAD"],
      realsense_serials: ["143322063538", "104122062574", "217222066989"],
      task: "motherboard",
    });

    const plain = readWithoutPlugins(path);
    expect(plain.stderr).toBe("");
    expect(Object.keys(plain.filters)).toEqual(DATASETS);
    for (const filters of Object.values(plain.filters)) {
      expect(filters).toEqual({ compression: "gzip", compression_opts: DEFAULT_GZIP_LEVEL, shuffle: false });
    }
  });
});

describe("compress, re-runs", () => {
  it("the plugin-less reader is real: it cannot read the BLOSC original", () => {
    const plain = readWithoutPlugins(FIXTURES.blosc);
    expect(plain.ok).toBe(false);
    expect(plain.stderr).toMatch(/filter/i);
  });

  it("skips a file it already compressed, leaving it byte-identical", async () => {
    const path = copyFixture(FIXTURES.blosc, dir.path);
    await compressEpisode(path);
    const before = sha256(path);
    const again = await compressEpisode(path);
    expect(again).toMatchObject({ status: "skipped", bytesBefore: again.bytesAfter, removedLeftover: false });
    expect(sha256(path)).toBe(before);
  });

  it("skips an h5repack/h5py GZIP+shuffle file unless forced", async () => {
    const path = copyFixture(FIXTURES["gzip-shuffle"], dir.path);
    const before = sha256(path);
    expect((await compressEpisode(path)).status).toBe("skipped");
    expect(sha256(path)).toBe(before);
  });

  it("removes the temporary files of killed runs, never a live attempt's, then compresses", async () => {
    const path = copyFixture(FIXTURES.lzf, dir.path);
    const gone = spawnSync("true").pid as number; // exited: its attempt is over
    const dead = tempPathFor(path, { host: thisHost(), pid: gone, id: "0a0a0a" });
    const live = tempPathFor(path, { host: thisHost(), pid: process.pid, id: "0b0b0b" });
    const elsewhere = tempPathFor(path, { host: "other-machine", pid: gone, id: "0c0c0c" });
    for (const p of [dead, live, elsewhere, legacyTempPathFor(path)]) writeFileSync(p, "half a file");
    const result = await compressEpisode(path);
    expect(result).toMatchObject({ status: "compressed", removedLeftover: true });
    // This process's other attempt may still be writing; another machine's cannot be asked from here.
    expect(listing(dir.path)).toEqual(
      [live, elsewhere]
        .map((p) => basename(p))
        .concat("episode_000.h5")
        .sort(),
    );
  });

  it("keeps the original's permissions", async () => {
    const path = join(dir.path, "episode_001.h5");
    copyFileSync(FIXTURES.blosc, path);
    const { chmodSync, statSync } = await import("node:fs");
    chmodSync(path, 0o640);
    await compressEpisode(path);
    expect(statSync(path).mode & 0o777).toBe(0o640);
  });
});
