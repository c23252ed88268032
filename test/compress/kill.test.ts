import { spawnSync } from "node:child_process";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { compressEpisode, thisHost } from "../../stages/compress/index.js";
import { PROJECT_ROOT, tempDir } from "../helpers/paths.js";
import { copyFixture, FIXTURES, listing, sha256, sizeOf } from "./files.js";

let dir: { path: string; cleanup: () => void };
beforeEach(() => {
  dir = tempDir("rigwatch-compress-kill-");
});
afterEach(() => dir.cleanup());

/** Compresses `path` in a child process that SIGKILLs itself at the given step. */
function killAt(path: string, step: string, index?: number) {
  const args = [
    "--import",
    "tsx",
    "test/compress/killAt.ts",
    path,
    step,
    ...(index === undefined ? [] : [String(index)]),
  ];
  return spawnSync(process.execPath, args, { cwd: PROJECT_ROOT, encoding: "utf8" });
}

// The BLOSC fixture has 15 datasets, copied and verified in HDF5's name order.
describe.each([
  { step: "copied", index: 0, what: "after the first dataset" },
  { step: "copied", index: 8, what: "after 9 of 15 datasets (realsense/cam0/color)" },
  { step: "written", index: undefined, what: "after the copy was closed and fsynced" },
  { step: "verified", index: 4, what: "in the middle of verifying" },
  { step: "replacing", index: undefined, what: "just before the rename" },
])("SIGKILL $what", ({ step, index }) => {
  it("leaves the original byte-identical; the next run removes the temp file and succeeds", async () => {
    const path = copyFixture(FIXTURES.blosc, dir.path);
    const before = sha256(path);
    const child = killAt(path, step, index);
    expect({ signal: child.signal, stdout: child.stdout }).toEqual({ signal: "SIGKILL", stdout: "" });
    expect(sha256(path)).toBe(before);
    // The killed attempt's own temporary file: host, its pid, a random part.
    const [temp, ...rest] = listing(dir.path);
    expect(rest).toEqual(["episode_000.h5"]);
    expect(temp).toMatch(
      new RegExp(`^\\.episode_000\\.h5\\.${thisHost()}\\.${child.pid}\\.[0-9a-f]{12}\\.compress-tmp$`),
    );

    const next = await compressEpisode(path);
    expect(next).toMatchObject({
      status: "compressed",
      removedLeftover: true,
      bytesBefore: sizeOf(FIXTURES.blosc),
    });
    expect(listing(dir.path)).toEqual(["episode_000.h5"]);
    expect((await compressEpisode(path)).status).toBe("skipped");
  });
});
