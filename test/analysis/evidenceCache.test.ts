import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { defaultConfig } from "../../config/index.js";
import { EpisodeReader } from "../../hw/h5/index.js";
import { generateEpisode } from "../../sim/episode/generate.js";
import { presetSession } from "../../sim/episode/presets.js";
import type { Scenario } from "../../sim/episode/scenario.js";
import { EvidenceCache, fileIdentity, TakeEvidence } from "../../stages/analysis/index.js";
import { compressEpisode } from "../../stages/compress/index.js";
import { analysisCacheDir } from "../../stages/dataset/index.js";
import { analyseEpisode, analyseEvidence } from "../../stages/detect/analyseEpisode.js";
import { indexEvidence } from "../../stages/contactIndex/index.js";
import { tempDir } from "../helpers/paths.js";

/**
 * The analysis pass leaves each take's evidence in its session's `.rigwatch/analysis/`; every stage
 * after it reads that instead of the frames, while it stands for the file.
 */
describe("the evidence cache", () => {
  const dir = tempDir();
  const session = presetSession("every-fault", { seed: 206 }); // take 0: 10 s, five faults
  const dateDir = join(dir.path, "data", session.task, session.date);
  const take = join(dateDir, "episode_000.h5");
  const detect = defaultConfig().detect;

  beforeAll(async () => {
    // A quarter of the rig's pixels: the cache is about what is kept and when, not about the frames.
    await generateEpisode({ ...(session.episodes[0] as Scenario), height: 240, width: 320 }, take);
  }, 60_000);
  afterAll(() => {
    vi.restoreAllMocks();
    dir.cleanup();
  });

  it("is written once by the pass, under the session's .rigwatch/analysis/, and read back without a frame", async () => {
    expect(EvidenceCache.isCurrent(take)).toBe(false);
    const first = await analyseEpisode(take, { key: "d/episode_000", detect });
    expect(EvidenceCache.isCurrent(take)).toBe(true);
    expect(readdirSync(analysisCacheDir(take)).sort()).toEqual([
      "arrays.bin",
      "cam0.chw",
      "cam1.chw",
      "cam2.chw",
      "derived",
      "evidence.json",
      "gel_left.hwc",
      "gel_right.hwc",
    ]);
    const open = vi.spyOn(EpisodeReader, "open");
    const again = await analyseEpisode(take, { key: "d/episode_000", detect });
    expect(again.result).toEqual(first.result);
    // A changed threshold is a new analysis of the same evidence: still no frame read.
    const stricter = await analyseEpisode(take, {
      key: "d/episode_000",
      detect: { ...detect, bufferFrames: 6 },
    });
    expect(stricter.result.lists).not.toEqual(first.result.lists);
    expect(open).not.toHaveBeenCalled();
    open.mockRestore();
  }, 120_000);

  it("keeps the gel series per trim and contact settings, and only those: a new OT threshold reuses them", async () => {
    const derived = () => readdirSync(join(analysisCacheDir(take), "derived")).sort();
    const before = derived();
    expect(before.length).toBe(2); // left and right, for the default settings
    await analyseEpisode(take, { key: "d/episode_000", detect: { ...detect, otGapS: 0.2 } });
    expect(derived()).toEqual(before);
    await analyseEpisode(take, {
      key: "d/episode_000",
      detect: { ...detect, contact: { ...detect.contact, tau: 12 } },
    });
    expect(derived().length).toBe(4);
  }, 60_000);

  it("no longer stands for a file that changed since (another mtime): the pass runs again", async () => {
    const stamp = new Date(Date.now() - 60_000);
    utimesSync(take, stamp, stamp);
    expect(EvidenceCache.isCurrent(take)).toBe(false);
    expect(EvidenceCache.current(take)).toBeUndefined();
    const evidence = await EvidenceCache.open(take);
    evidence.close();
    expect(EvidenceCache.isCurrent(take)).toBe(true);
  }, 60_000);

  it("carries over compress's verified copy, and only from the file it was read from", async () => {
    const before = fileIdentity(take);
    const result = await compressEpisode(take);
    expect(result.status).toBe("compressed");
    expect(EvidenceCache.isCurrent(take)).toBe(false); // a new file (inode, size, mtime)
    expect(EvidenceCache.carryOver(take, { ...(before as NonNullable<typeof before>), size: 1 })).toBe(false);
    expect(EvidenceCache.carryOver(take, before)).toBe(true);
    expect(EvidenceCache.isCurrent(take)).toBe(true);
    // The same analysis as a pass over the GZIP file reads from its frames.
    const carried = EvidenceCache.current(take) as TakeEvidence;
    const fromCarried = analyseEvidence(carried, { key: "d/episode_000", detect });
    carried.close();
    const loose = join(dir.path, "loose", "episode_000.h5");
    mkdirSync(join(dir.path, "loose"));
    writeFileSync(loose, readFileSync(take));
    const fromFrames = await analyseEpisode(loose, { key: "d/episode_000", detect });
    expect(fromCarried.result).toEqual(fromFrames.result);
    expect(existsSync(join(dir.path, "loose", ".rigwatch"))).toBe(false); // a loose file's evidence is not kept
  }, 120_000);

  it("is read from the frames again when a file of it is damaged, or a killed pass left only a temp folder", async () => {
    const cacheDir = analysisCacheDir(take);
    truncateSync(join(cacheDir, "cam1.chw"), 1000);
    expect(EvidenceCache.current(take)).toBeUndefined();
    // A pass killed in another process: its temp folder (a dead pid) is cleared by the next pass.
    const dead = join(dateDir, ".rigwatch", "analysis", ".episode_000.999999999-1.tmp");
    mkdirSync(dead);
    writeFileSync(join(dead, "cam0.chw"), "partial");
    const evidence = await EvidenceCache.open(take);
    evidence.close();
    expect(existsSync(dead)).toBe(false);
    expect(readdirSync(join(dateDir, ".rigwatch", "analysis"))).toEqual(["episode_000"]);
    const index = indexEvidence(EvidenceCache.current(take) as TakeEvidence, {
      key: "d/episode_000",
      detect,
      outDir: join(dir.path, "pt"),
    });
    expect(index.result.nFrames).toBe(300);
  }, 120_000);
});
