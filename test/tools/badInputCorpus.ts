/**
 * The bad-input corpus: damaged recorder episodes written by h5py (write_bad_corpus.py) from the clean
 * BLOSC fixture, built once into test/.generated/corpus/ and rebuilt when the script, this file or the
 * fixture changes. The cases that are about the file system rather than the file's content (permissions,
 * links, a folder named like an episode) are made when a test lays the corpus out as a dataset.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { EpisodeReader } from "../../hw/h5/index.js";
import { ensureRecorderFixtures, RECORDER_FIXTURES } from "./recorderFixtures.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const WRITER = join(HERE, "write_bad_corpus.py");
const PYTHON = "/usr/bin/python3";

export const CORPUS = join(HERE, "../.generated/corpus");

/** A case of the corpus as the writer made it. */
export interface ContentCase {
  readonly name: string;
  /** What was done to the file, in words. */
  readonly what: string;
}

function sourceKey(source: string): string {
  return createHash("sha256")
    .update(readFileSync(WRITER))
    .update(readFileSync(fileURLToPath(import.meta.url)))
    .update(readFileSync(source))
    .digest("hex");
}

/** Makes sure the corpus exists and matches its sources; returns its cases (files are `CORPUS/<name>.h5`). */
export async function ensureBadInputCorpus(): Promise<ContentCase[]> {
  await ensureRecorderFixtures();
  const source = join(RECORDER_FIXTURES, "episode_blosc.h5");
  const key = sourceKey(source);
  const keyFile = join(CORPUS, "key");
  if (!existsSync(keyFile) || readFileSync(keyFile, "utf8") !== key) {
    const staging = `${CORPUS}.${process.pid}.partial`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    try {
      execFileSync(PYTHON, [WRITER, source, staging], { stdio: ["ignore", "ignore", "pipe"] });
      await pickLzfDamage(staging);
      writeFileSync(join(staging, "key"), key);
      rmSync(CORPUS, { recursive: true, force: true });
      renameSync(staging, CORPUS);
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }
  return JSON.parse(readFileSync(join(CORPUS, "cases.json"), "utf8")) as ContentCase[];
}

/** cam0's frame the writer damaged (write_bad_corpus.py FLIPPED_FRAME). */
const FLIPPED_FRAME = 5;

/**
 * LZF carries no checksum, so a flipped byte does one of three things to a decoder, depending on where
 * it falls: the decoder stops on a reference outside its output (h5wasm's plugin aborts the wasm
 * instance there), it decodes other bytes the same way every time (h5py and h5wasm alike: no reader
 * can tell), or it leaves part of its output unwritten (bytes that differ from read to read). The first
 * two follow from the bytes alone; the corpus keeps one of each (`flipped-lzf`, `flipped-lzf-silent`),
 * chosen among the writer's candidates by how rigwatch's reader fares with them.
 */
async function pickLzfDamage(dir: string): Promise<void> {
  const candidates = join(dir, "flipped-lzf-candidates");
  const hash = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
  const frame5 = async (path: string): Promise<string[]> => {
    const reader = await EpisodeReader.open(path);
    try {
      const first = hash(reader.frame("cam0", FLIPPED_FRAME));
      reader.frame("cam0", 0); // another chunk in between, so the second read decodes again
      return [first, hash(reader.frame("cam0", FLIPPED_FRAME))];
    } finally {
      reader.close();
    }
  };
  const [clean] = await frame5(join(dir, "clean-lzf.h5"));
  const picked: { crash?: string; silent?: string } = {};
  for (const name of readdirSync(candidates).sort()) {
    const path = join(candidates, name);
    let reads: string[] | undefined;
    try {
      reads = await frame5(path);
    } catch {
      picked.crash ??= path;
      continue;
    }
    if (reads[0] === reads[1] && reads[0] !== clean) picked.silent ??= path;
  }
  if (!picked.crash || !picked.silent)
    throw new Error(`no LZF damage of each kind among ${candidates}: ${JSON.stringify(picked)}`);
  renameSync(picked.crash, join(dir, "flipped-lzf.h5"));
  renameSync(picked.silent, join(dir, "flipped-lzf-silent.h5"));
  rmSync(candidates, { recursive: true, force: true });
  const cases = JSON.parse(readFileSync(join(dir, "cases.json"), "utf8")) as ContentCase[];
  cases.push(
    {
      name: "flipped-lzf",
      what: `one byte flipped inside cam0's frame ${FLIPPED_FRAME} LZF chunk, where the decoder stops on it (h5py decodes other bytes)`,
    },
    {
      name: "flipped-lzf-silent",
      what: `one byte flipped inside cam0's frame ${FLIPPED_FRAME} LZF chunk, which every decoder reads as the same other bytes`,
    },
  );
  writeFileSync(join(dir, "cases.json"), JSON.stringify(cases, null, 1));
}
