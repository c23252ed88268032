import { createHash } from "node:crypto";
import { chmodSync, copyFileSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SHARED_FIXTURES } from "../helpers/paths.js";

/** The recorder fixtures by their image filter. */
export const FIXTURES = {
  blosc: join(SHARED_FIXTURES, "h5/episode_blosc.h5"),
  lzf: join(SHARED_FIXTURES, "h5/episode_lzf.h5"),
  "gzip-shuffle": join(SHARED_FIXTURES, "h5/episode_gzip-shuffle.h5"),
} as const;

/** A writable copy of a fixture (the shared ones are read-only). */
export function copyFixture(fixture: string, dir: string, name = "episode_000.h5"): string {
  const path = join(dir, name);
  copyFileSync(fixture, path);
  chmodSync(path, 0o644);
  return path;
}

export const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

export const listing = (dir: string) => readdirSync(dir).sort();
