/**
 * The recorder-format episodes the tests read, written at test time by h5py + hdf5plugin (the rig's own
 * writing library) from the seeded generator's content, so rigwatch's reader is checked against files
 * it did not write. Built once into test/.generated/recorder/ and rebuilt when the generator, the
 * writer script or this file changes.
 *
 *   episode_blosc.h5, episode_lzf.h5, episode_gzip-shuffle.h5   60 ticks, no faults, one filter each
 *   faulted/episode_000.h5 + .truth.json                          300 ticks, BLOSC, the every-fault take 0
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateEpisode } from "../../sim/episode/generate.js";
import { presetSession } from "../../sim/episode/presets.js";
import type { Scenario } from "../../sim/episode/scenario.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const PROJECT_ROOT = join(HERE, "../..");
const WRITER = join(HERE, "write_recorder_episode.py");
/** Debian's Python: the one with h5py and hdf5plugin. */
const PYTHON = "/usr/bin/python3";

export const RECORDER_FIXTURES = join(PROJECT_ROOT, "test/.generated/recorder");

/** The clean takes: two seconds of the fixture task, no faults, both gels pressed for ~0.85 s from ~0.55 s. */
const CLEAN: Scenario = {
  seed: 12,
  ticks: 60,
  task: "motherboard",
  createdAt: "2026-05-30T00:30:00",
  contacts: { firstS: [0.5, 0.6], pressS: [0.8, 0.9], gapS: [2, 3] },
  faults: [],
};
const CLEAN_FILTERS = ["blosc", "lzf", "gzip-shuffle"] as const;
/** The faulted take: every-fault take 0 with seed 206, the fault frames of the team's original fixture. */
const FAULTED = (): Scenario => presetSession("every-fault", { seed: 206 }).episodes[0] as Scenario;

/** What the files are made from: when any of it changes, the files are written again. */
function sourceKey(): string {
  const hash = createHash("sha256");
  const simDir = join(PROJECT_ROOT, "sim/episode");
  for (const name of readdirSync(simDir).sort()) hash.update(name).update(readFileSync(join(simDir, name)));
  hash.update(readFileSync(WRITER)).update(readFileSync(fileURLToPath(import.meta.url)));
  return hash.digest("hex");
}

function rewrite(source: string, dest: string, filter: string): void {
  execFileSync(PYTHON, [WRITER, source, dest, filter], { stdio: ["ignore", "ignore", "pipe"] });
}

async function build(into: string): Promise<void> {
  const scratch = join(into, ".source");
  const clean = await generateEpisode(CLEAN, join(scratch, "clean.h5"));
  for (const filter of CLEAN_FILTERS) rewrite(clean.h5Path, join(into, `episode_${filter}.h5`), filter);
  const faulted = await generateEpisode(FAULTED(), join(scratch, "episode_000.h5"));
  mkdirSync(join(into, "faulted"));
  rewrite(faulted.h5Path, join(into, "faulted/episode_000.h5"), "blosc");
  renameSync(faulted.truthPath, join(into, "faulted/episode_000.truth.json"));
  rmSync(scratch, { recursive: true, force: true });
}

/** Makes sure the recorder fixtures exist and match their sources; returns their folder. */
export async function ensureRecorderFixtures(): Promise<string> {
  const key = sourceKey();
  const keyFile = join(RECORDER_FIXTURES, "key");
  if (existsSync(keyFile) && readFileSync(keyFile, "utf8") === key) return RECORDER_FIXTURES;
  const staging = `${RECORDER_FIXTURES}.${process.pid}.partial`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    await build(staging);
    writeFileSync(join(staging, "key"), key);
    rmSync(RECORDER_FIXTURES, { recursive: true, force: true });
    renameSync(staging, RECORDER_FIXTURES);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return RECORDER_FIXTURES;
}
