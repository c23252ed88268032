import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** Deterministic bytes: a sha256 chain seeded by `seed`, so sizes and oids are the same every run. */
export function bytes(size: number, seed: string): Buffer {
  const out = Buffer.alloc(size);
  let block = createHash("sha256").update(seed).digest();
  for (let at = 0; at < size; at += block.length) {
    block.copy(out, at, 0, Math.min(block.length, size - at));
    block = createHash("sha256").update(block).digest();
  }
  return out;
}

const SESSION = "pick_cube/2024-05-01";

/**
 * The files of a small curated dataset, by repo path: every kind a dataset root holds. The stand-in's
 * LFS threshold is 10 KiB, so episode_001.h5 and episode_000.pt go through LFS, the rest inline.
 */
export const PUBLISHED: Readonly<Record<string, Buffer>> = {
  "README.md": Buffer.from("# Tactile pick dataset\n\nRecorded with the capture rig.\n"),
  [`data/${SESSION}/episode_000.h5`]: bytes(4_000, "episode_000.h5"),
  [`data/${SESSION}/episode_001.h5`]: bytes(40_000, "episode_001.h5"),
  "figures/dataset_figures/bad_frames.json": Buffer.from('{"summary":{"n_episodes":2}}\n'),
  "figures/dataset_figures/data_quality_report.csv": Buffer.from("episode,n_frames\nepisode_000,900\n"),
  [`figures/episode_previews/${SESSION}/clips/episode_000_freeze_left.gif`]: bytes(1_500, "clip"),
  [`figures/episode_previews/${SESSION}/episode_000.gif`]: bytes(2_000, "episode_000.gif"),
  [`processed/contact/${SESSION}/episode_000.contact.json`]: Buffer.from('{"n_frames":900}\n'),
  [`processed/contact/${SESSION}/episode_000.pt`]: bytes(12_288, "episode_000.pt"),
  "tasks.json": Buffer.from('{"tasks":{"pick_cube":{"dates":["2024-05-01"]}}}\n'),
};

/** Paths that must never be uploaded: rigwatch's state, temp leftovers, quarantine, a stray folder. */
export const LEFTOVERS: Readonly<Record<string, Buffer>> = {
  ".git/HEAD": Buffer.from("ref: refs/heads/main\n"),
  ".rigwatch/publish.json": Buffer.from("{}\n"),
  [`data/${SESSION}/.episode_000.h5.4242.tmp`]: bytes(3_000, "tmp"),
  [`data/${SESSION}/.episode_001.h5.compress-tmp`]: bytes(20_000, "compress-tmp"),
  [`data/${SESSION}/.rigwatch/stages.json`]: Buffer.from('{"episodes":{}}\n'),
  [`data/${SESSION}/episode_002.h5.corrupt`]: bytes(11_000, "corrupt"),
  [`data/${SESSION}/episode_003.h5.corrupt.1`]: bytes(500, "corrupt.1"),
  "notes.txt": Buffer.from("operator notes, not for publishing\n"),
  "scratch/try.py": Buffer.from("print('scratch')\n"),
};

/** Writes `files` (repo path → bytes) under `root`. */
export function writeFiles(root: string, files: Readonly<Record<string, Buffer>>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

/** A dataset root with every published file and every leftover. */
export function writeDataset(root: string): void {
  writeFiles(root, PUBLISHED);
  writeFiles(root, LEFTOVERS);
}
