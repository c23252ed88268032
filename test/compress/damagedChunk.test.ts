/**
 * One flipped byte in one chunk (issue 16): whatever the filter, the take is never recompressed over,
 * by `compress` or by `process`. A chunk its filter refuses and a chunk that decodes to different
 * bytes on each read are both a damaged chunk: the file is renamed `*.h5.corrupt`, bytes untouched.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, chmodSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CLI, tempDir } from "../helpers/paths.js";
import { chunkExtent, flipByte, readBytes, shortDecodeFlip } from "./damage.js";
import { FIXTURES, listing, sha256 } from "./files.js";

const DATASET = "/realsense/cam0/color";
const CHUNK = 5;
const FRAME_BYTES = 480 * 640 * 3;
const SESSION = ["data", "motherboard", "2026-05-30"];

let dir: { path: string; cleanup: () => void };
beforeEach(() => {
  dir = tempDir("rigwatch-damaged-");
});
afterEach(() => dir.cleanup());

/** A copy of a fixture in a session folder of its own, with one byte of chunk 5 flipped. */
function damagedTake(
  name: string,
  fixture: string,
  at: (extent: { offset: number; size: number }) => number,
): string {
  const session = join(dir.path, name, ...SESSION);
  mkdirSync(session, { recursive: true });
  const path = join(session, "episode_000.h5");
  copyFileSync(fixture, path);
  chmodSync(path, 0o644);
  const extent = chunkExtent(path, DATASET, CHUNK);
  flipByte(path, extent.offset + at(extent));
  return path;
}

function rigwatch(args: string[]) {
  const run = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });
  const lines = run.stdout.trim() === "" ? [] : run.stdout.trim().split("\n");
  return {
    status: run.status,
    stderr: run.stderr,
    json: lines.map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

/** `compress --json` on one damaged take: exit 1, one `corrupt` line, the file renamed with its bytes. */
function expectQuarantinedByCompress(
  path: string,
  step: "copy" | "verify",
  detail: string,
  args: string[] = [],
) {
  const before = sha256(path);
  const run = rigwatch(["compress", "--json", ...args, path]);
  expect(run.status).toBe(1);
  expect(run.json).toEqual([
    {
      type: "compress",
      path,
      status: "corrupt",
      code: "corrupt_chunk",
      file: path,
      step,
      dataset: DATASET,
      detail,
      quarantinedAs: `${path}.corrupt`,
      error: `${path} [${DATASET}]: corrupt chunk (${step}): ${detail}; renamed to ${path}.corrupt`,
    },
  ]);
  expect(listing(join(path, ".."))).toEqual(["episode_000.h5.corrupt"]);
  expect(sha256(`${path}.corrupt`)).toBe(before);
}

/**
 * `process --json` on the same damage: the take is quarantined by the first stage that decodes the
 * chunk (the analysis pass reads every frame once, before compress), its bytes kept.
 */
function expectQuarantinedByProcess(path: string, stage: "analyse" | "compress", error: string | RegExp) {
  const before = sha256(path);
  const session = join(path, "..");
  const run = rigwatch(["process", "--json", "--set", "previews.frames=12", session]);
  expect(run.status).toBe(0);
  const summary = run.json.find((line) => line.type === "session");
  expect(summary).toMatchObject({ episodes: 1, done: 0, quarantined: ["episode_000"], failed: [] });
  const states = run.json.filter((line) => line.stage === stage).map((line) => line.state);
  expect(states).toEqual(["queued", "running", "failed"]);
  const failed = run.json.find((line) => line.stage === stage && line.state === "failed")?.error;
  if (typeof error === "string") expect(failed).toBe(error);
  else expect(failed).toMatch(error);
  expect(listing(session)).toEqual([".rigwatch", "episode_000.h5.corrupt"]);
  expect(sha256(`${path}.corrupt`)).toBe(before);
}

describe("a take with one flipped byte in one chunk", () => {
  it("BLOSC, the chunk header's size: the filter refuses it, compress and process quarantine it", () => {
    const detail = "rows 5..5: H5Z_pipeline(): filter returned failure during read";
    expectQuarantinedByCompress(
      damagedTake("compress", FIXTURES.blosc, () => 4),
      "copy",
      detail,
    );
    const path = damagedTake("process", FIXTURES.blosc, () => 4);
    expectQuarantinedByProcess(
      path,
      "analyse",
      `${path} [${DATASET.slice(1)}]: read failed: frame 5: H5Z_pipeline(): filter returned failure during read`,
    );
  });

  it("LZF, the stream's first control byte: the filter aborts on it, compress and process quarantine it", () => {
    const detail = "rows 5..5: its filter aborted on it";
    expectQuarantinedByCompress(
      damagedTake("compress", FIXTURES.lzf, () => 0),
      "copy",
      detail,
    );
    const path = damagedTake("process", FIXTURES.lzf, () => 0);
    // The plugin aborts the WebAssembly instance; the reader names the frame it was decoding.
    expectQuarantinedByProcess(
      path,
      "analyse",
      new RegExp(
        `^${path.replaceAll(".", "\\.")} \\[${DATASET.slice(1)}\\]: read failed: frame 5: .*Aborted`,
      ),
    );
  });

  it("LZF, a control byte that makes the chunk decode short: it decodes differently twice, quarantined", () => {
    const shortAt = ({ offset, size }: { offset: number; size: number }) =>
      shortDecodeFlip(readBytes(FIXTURES.lzf, offset, size), FRAME_BYTES);
    const detail = "rows 5..5 decode to different bytes on each read";
    expectQuarantinedByCompress(damagedTake("compress", FIXTURES.lzf, shortAt), "verify", detail);
    const path = damagedTake("process", FIXTURES.lzf, shortAt);
    // One decode of it succeeds, so the analysis pass reads it; compress decodes twice and finds it out.
    expectQuarantinedByProcess(
      path,
      "compress",
      `${path} [${DATASET}]: corrupt chunk (verify): ${detail}; renamed to ${path}.corrupt`,
    );
  });

  it("GZIP: compress skips it (already portable); --force finds the damage and quarantines it", () => {
    const middle = ({ size }: { size: number }) => Math.floor(size / 2);
    const path = damagedTake("compress", FIXTURES["gzip-shuffle"], middle);
    const before = sha256(path);
    const skipped = rigwatch(["compress", "--json", path]);
    expect(skipped.status).toBe(0);
    expect(skipped.json).toMatchObject([{ type: "compress", path, status: "skipped" }]);
    expect(sha256(path)).toBe(before);
    expectQuarantinedByCompress(
      path,
      "copy",
      "rows 5..5: H5Z_pipeline(): filter returned failure during read",
      ["--force"],
    );
  });

  it("GZIP: process never replaces it (compress would skip it; the analysis pass finds the damage)", () => {
    const path = damagedTake("process", FIXTURES["gzip-shuffle"], ({ size }) => Math.floor(size / 2));
    expectQuarantinedByProcess(
      path,
      "analyse",
      `${path} [realsense/cam0/color]: read failed: frame 5: H5Z_pipeline(): filter returned failure during read`,
    );
  });
});
