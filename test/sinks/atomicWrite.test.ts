import { readdirSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { atomicTempPath, removeAtomicLeftovers, writeFileAtomic } from "../../sinks/atomicWrite.js";
import { tempDir } from "../helpers/paths.js";

/** Beyond Linux's pid_max (4194304): no process has it. */
const GONE = 999_999_999;

let dir: { path: string; cleanup: () => void };
beforeEach(() => {
  dir = tempDir("rigwatch-atomic-");
});
afterEach(() => dir.cleanup());

describe("atomic writes: each writer its own temp file, only dead writers' leftovers removed", () => {
  it("two writers of one file in one process get different temp files, both named after the pid", () => {
    const path = join(dir.path, "report.json");
    const [a, b] = [atomicTempPath(path), atomicTempPath(path)].map((p) => basename(p));
    expect(a).not.toBe(b);
    for (const name of [a, b])
      expect(name).toMatch(new RegExp(`^\\.report\\.json\\.${process.pid}\\.\\d+\\.tmp$`));
  });

  it("removes a dead writer's leftovers (old and new names), keeps this process's and other files", () => {
    const path = join(dir.path, "report.json");
    writeFileAtomic(path, "{}\n");
    const names = [
      `.report.json.${GONE}.tmp`,
      `.report.json.${GONE}.123.tmp`,
      `.report.json.${process.pid}.456.tmp`,
      `.report.json.notapid.tmp`,
      `.other.json.${GONE}.1.tmp`,
    ];
    for (const name of names) writeFileSync(join(dir.path, name), "partial");
    expect(removeAtomicLeftovers(path).sort()).toEqual([
      `.report.json.${GONE}.123.tmp`,
      `.report.json.${GONE}.tmp`,
    ]);
    expect(readdirSync(dir.path).sort()).toEqual(
      [
        `.other.json.${GONE}.1.tmp`,
        `.report.json.${process.pid}.456.tmp`,
        ".report.json.notapid.tmp",
        "report.json",
      ].sort(),
    );
  });
});
