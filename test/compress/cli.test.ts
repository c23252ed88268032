import { spawnSync } from "node:child_process";
import { closeSync, openSync, statSync, writeSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PROJECT_ROOT, tempDir } from "../helpers/paths.js";
import { copyFixture, FIXTURES, listing, sha256, sizeOf } from "./files.js";

function rigwatchCompress(args: string[]) {
  const run = spawnSync(process.execPath, ["--import", "tsx", "test/compress/compressCli.ts", ...args], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
  });
  const lines = run.stdout.trim() === "" ? [] : run.stdout.trim().split("\n");
  return { status: run.status, stderr: run.stderr, lines };
}

/** Overwrites 64 KiB in the middle of the file, inside the image chunks. */
function corruptMiddle(path: string) {
  const fd = openSync(path, "r+");
  writeSync(fd, Buffer.alloc(65536, 0xab), 0, 65536, Math.floor(statSync(path).size / 2));
  closeSync(fd);
}

let dir: { path: string; cleanup: () => void };
beforeEach(() => {
  dir = tempDir("rigwatch-compress-cli-");
});
afterEach(() => dir.cleanup());

describe("rigwatch compress", () => {
  it("compresses a folder's episodes with --jobs 2, then skips them on a re-run", () => {
    copyFixture(FIXTURES.blosc, dir.path, "episode_000.h5");
    copyFixture(FIXTURES.lzf, dir.path, "episode_001.h5");
    const first = rigwatchCompress(["--jobs", "2", "--json", dir.path]);
    expect(first.status).toBe(0);
    const results = first.lines.map((l) => JSON.parse(l)).sort((a, b) => a.path.localeCompare(b.path));
    expect(results.map(({ path, status, bytesBefore }) => ({ path, status, bytesBefore }))).toEqual([
      { path: `${dir.path}/episode_000.h5`, status: "compressed", bytesBefore: sizeOf(FIXTURES.blosc) },
      { path: `${dir.path}/episode_001.h5`, status: "compressed", bytesBefore: sizeOf(FIXTURES.lzf) },
    ]);
    // Same content, same filter and level: the same output size from either source.
    expect(results[0].bytesAfter).toBe(results[1].bytesAfter);

    const again = rigwatchCompress([dir.path]);
    expect(again.status).toBe(0);
    expect(again.lines).toEqual([
      `skipped     ${dir.path}/episode_000.h5 (already GZIP)`,
      `skipped     ${dir.path}/episode_001.h5 (already GZIP)`,
    ]);
  });

  it("prints one line for a file that fails and goes on with the next on a fresh worker", () => {
    const bad = copyFixture(FIXTURES.lzf, dir.path, "episode_000.h5");
    corruptMiddle(bad);
    const before = sha256(bad);
    copyFixture(FIXTURES.blosc, dir.path, "episode_001.h5");
    // One worker: the corrupt chunk aborts its wasm instance, so the pool must replace it.
    const run = rigwatchCompress(["--jobs", "1", dir.path]);
    expect(run.status).toBe(1);
    expect(run.lines).toHaveLength(2);
    expect(run.lines[0]).toMatch(
      new RegExp(
        `^corrupt     ${bad} \\[/[a-z0-9/]+\\]: corrupt chunk \\(copy\\): .*; renamed to ${bad}\\.corrupt$`,
      ),
    );
    expect(run.lines[1]).toMatch(
      new RegExp(
        `^compressed  ${dir.path}/episode_001.h5  ${(sizeOf(FIXTURES.blosc) / 1e6).toFixed(1)} MB → `,
      ),
    );
    // Damaged, so never recompressed: renamed aside with its bytes.
    expect(sha256(`${bad}.corrupt`)).toBe(before);
    expect(listing(dir.path)).toEqual(["episode_000.h5.corrupt", "episode_001.h5"]);
  });

  it("answers bad flags with a usage error", () => {
    expect(rigwatchCompress(["--jobs", "0", dir.path])).toMatchObject({
      status: 2,
      stderr: "rigwatch compress: --jobs must be an integer 1–64, got 0\n",
    });
    expect(rigwatchCompress([])).toMatchObject({
      status: 2,
      stderr: "rigwatch compress: compress needs at least one file or folder\n",
    });
  });
});
