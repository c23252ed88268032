import { mkdirSync, readdirSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { EpisodeResult } from "../../sinks/reports/index.js";
import { TimelineCache, type TimelineData } from "../../stages/detect/figures/index.js";
import { ResultCache } from "../../stages/detect/resultCache.js";
import { tempDir } from "../helpers/paths.js";

let dir: { path: string; cleanup: () => void };
let h5: string;
beforeEach(() => {
  dir = tempDir("rigwatch-torn-cache-");
  h5 = join(dir.path, "data", "task", "2026-05-31", "episode_000.h5");
  mkdirSync(dirname(h5), { recursive: true });
  writeFileSync(h5, "not read: the key is given");
});
afterEach(() => dir.cleanup());

// The caches are written without fsync: a machine crash may leave one empty or cut short.
const CACHES = [
  {
    name: "ResultCache",
    file: () => ResultCache.fileFor(h5),
    write: (value: object) => ResultCache.write(h5, "key-1", value as EpisodeResult),
    read: (key: string) => ResultCache.read(h5, key),
  },
  {
    name: "TimelineCache",
    file: () => TimelineCache.fileFor(h5),
    write: (value: object) => TimelineCache.write(h5, "key-1", value as TimelineData),
    read: (key: string) => TimelineCache.read(h5, key),
  },
] as const;

describe("detect's caches: a torn file is a miss, never a wrong answer", () => {
  for (const cache of CACHES)
    it(`${cache.name}: reads back what it wrote, and reads an empty or cut-short file as a miss`, () => {
      const value = { key: "2026-05-31/episode_000", nFrames: 300, lists: { ot_loss_L: [[3, 9]] } };
      cache.write(value);
      expect(cache.read("key-1")).toEqual(value);
      expect(cache.read("key-2")).toBeUndefined();
      expect(readdirSync(dirname(cache.file()))).toEqual([cache.file().split("/").pop()]);

      const whole = readFileSync(cache.file()).length;
      truncateSync(cache.file(), Math.floor(whole / 2));
      expect(cache.read("key-1")).toBeUndefined();
      truncateSync(cache.file(), 0);
      expect(cache.read("key-1")).toBeUndefined();
    });
});
