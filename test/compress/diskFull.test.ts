import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { PROJECT_ROOT, tempDir } from "../helpers/paths.js";
import { copyFixture, FIXTURES, listing, sha256, sizeOf } from "./files.js";

const CLI = ["--import", "tsx", "test/compress/compressCli.ts", "--json"];

/** Runs `rigwatch compress --json` in a child; `shell` prefixes it (ulimit). One JSON line per file. */
function compressInChild(path: string, shellPrefix?: string) {
  const node = [process.execPath, ...CLI, path].map((a) => `'${a}'`).join(" ");
  const run = shellPrefix
    ? spawnSync("bash", ["-c", `${shellPrefix}; exec ${node}`], { cwd: PROJECT_ROOT, encoding: "utf8" })
    : spawnSync(process.execPath, [...CLI, path], { cwd: PROJECT_ROOT, encoding: "utf8" });
  return { status: run.status, stderr: run.stderr, line: JSON.parse(run.stdout) as Record<string, unknown> };
}

/** A real full disk: a tmpfs 1 MiB larger than the BLOSC original (mounting needs root, as in CI). */
const ORIGINAL_BYTES = sizeOf(FIXTURES.blosc);
const mountParent = tempDir("rigwatch-compress-full-");
const mountPoint = join(mountParent.path, "disk");
mkdirSync(mountPoint);
const mounted =
  spawnSync("mount", [
    "-t",
    "tmpfs",
    "-o",
    `size=${Math.ceil(ORIGINAL_BYTES / 2 ** 20) + 1}m`,
    "tmpfs",
    mountPoint,
  ]).status === 0;
afterAll(() => {
  if (mounted) spawnSync("umount", [mountPoint]);
  mountParent.cleanup();
});

describe.skipIf(!mounted)("compress on a full disk (tmpfs)", () => {
  it("fails with disk_full, leaves the original intact and no temp file, and frees the space", () => {
    const path = copyFixture(FIXTURES.blosc, mountPoint);
    const before = sha256(path);
    const { status, line } = compressInChild(path);
    expect(status).toBe(1);
    expect(line).toMatchObject({
      type: "compress",
      path,
      status: "failed",
      code: "disk_full",
      file: path,
      step: "copy",
      // The chunks are written by the stage itself (placeChunks), so the write that fails is its own.
      error: `${path} [${line.dataset}]: disk full (copy): file write failed: No space left on device`,
    });
    expect(sha256(path)).toBe(before);
    expect(listing(mountPoint)).toEqual(["episode_000.h5"]);
    // Nothing still holds the deleted temp file's blocks: the tmpfs is back to the original alone.
    const used = Number(spawnSync("du", ["-sk", mountPoint], { encoding: "utf8" }).stdout.split("\t")[0]);
    expect(used).toBe(Math.ceil(ORIGINAL_BYTES / 4096) * 4);
  });
});

describe("compress when the write fails (RLIMIT_FSIZE)", () => {
  let dir: { path: string; cleanup: () => void };
  beforeEach(() => {
    dir = tempDir("rigwatch-compress-fsize-");
  });
  afterEach(() => dir.cleanup());

  it("fails with write_failed (EFBIG), leaves the original intact and no temp file", () => {
    const path = copyFixture(FIXTURES.blosc, dir.path);
    const before = sha256(path);
    // Files may not grow past 1 MiB; SIGXFSZ ignored so the write returns EFBIG instead of killing.
    const { status, line } = compressInChild(path, `trap '' XFSZ; ulimit -f 1024`);
    expect(status).toBe(1);
    expect(line).toMatchObject({
      status: "failed",
      code: "write_failed",
      file: path,
      step: "copy",
      error: `${path} [${line.dataset}]: write failed (copy): file write failed: File too large`,
    });
    expect(sha256(path)).toBe(before);
    expect(listing(dir.path)).toEqual(["episode_000.h5"]);
  });
});
