import { createHash } from "node:crypto";
import { chmodSync, copyFileSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { recorderEpisode } from "../helpers/paths.js";

/** The recorder fixtures by their image filter. */
export const FIXTURES = {
  blosc: recorderEpisode("blosc"),
  lzf: recorderEpisode("lzf"),
  "gzip-shuffle": recorderEpisode("gzip-shuffle"),
} as const;

/** A fixture's size in bytes, as the filesystem reports it. */
export const sizeOf = (fixture: string): number => statSync(fixture).size;

/** A writable copy of a fixture (the generated ones are shared by every test file). */
export function copyFixture(fixture: string, dir: string, name = "episode_000.h5"): string {
  const path = join(dir, name);
  copyFileSync(fixture, path);
  chmodSync(path, 0o644);
  return path;
}

export const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

export const listing = (dir: string) => readdirSync(dir).sort();
