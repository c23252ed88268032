import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, FAULTED_EPISODE, tempDir } from "../helpers/paths.js";

/**
 * A re-run of detect with a changed threshold reads the take's evidence only: it opens no HDF5 file,
 * so it loads neither h5wasm nor (through hw/h5's replay) rxjs. A module hook in the child records
 * every module the process resolves.
 */
describe("rigwatch detect, re-run from the evidence", () => {
  const dir = tempDir("rigwatch-rerun-");
  const dateDir = join(dir.path, "data", "rerun", "2026-12-01");
  const trace = join(dir.path, "resolved.txt");
  const register = join(dir.path, "register.mjs");
  let rerun: ReturnType<typeof spawnSync>;

  beforeAll(() => {
    mkdirSync(dateDir, { recursive: true });
    copyFileSync(FAULTED_EPISODE, join(dateDir, "episode_000.h5"));
    writeFileSync(
      join(dir.path, "hooks.mjs"),
      `import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(${JSON.stringify(trace)}, resolved.url + "\\n");
  return resolved;
}
`,
    );
    writeFileSync(
      register,
      `import { register } from "node:module";\nregister("./hooks.mjs", import.meta.url);\n`,
    );
    const cold = spawnSync(process.execPath, [CLI, "detect", dateDir], { encoding: "utf8" });
    expect(cold.stderr).toBe("");
    expect(cold.status).toBe(0);
    rerun = spawnSync(
      process.execPath,
      ["--import", register, CLI, "detect", dateDir, "--set", "detect.bufferFrames=5"],
      { encoding: "utf8" },
    );
  }, 60_000);
  afterAll(() => dir.cleanup());

  it("analyses the take again and writes its reports", () => {
    expect(rerun.stderr).toBe("");
    expect(rerun.status).toBe(0);
    expect(String(rerun.stdout)).toContain("2026-12-01/episode_000");
  });

  it("loads neither h5wasm nor rxjs", () => {
    const resolved = readFileSync(trace, "utf8").trim().split("\n");
    // The hook saw the command and the analysis (it works), and no HDF5 reader.
    expect(resolved.some((url) => url.endsWith("/dist/cli/commands/detect.js"))).toBe(true);
    expect(resolved.some((url) => url.endsWith("/dist/stages/detect/analyseEpisode.js"))).toBe(true);
    expect(resolved.filter((url) => /\/node_modules\/(h5wasm|h5wasm-plugins|rxjs)\//.test(url))).toEqual([]);
    expect(resolved.filter((url) => url.includes("/dist/hw/h5/EpisodeReader.js"))).toEqual([]);
  });
});
