import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_ROOT } from "../helpers/paths.js";

/** The children's user cache (publish's hash cache): this process's own, never the real ~/.cache. */
const CACHE_HOME = mkdtempSync(join(tmpdir(), "rigwatch-publish-cache-"));
process.once("exit", () => rmSync(CACHE_HOME, { recursive: true, force: true }));

export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * `rigwatch publish …` as a child process, from the sources through the real CLI (cli/cli.ts).
 * Asynchronous on purpose: the hub stand-in serves from this process, so a spawnSync would block
 * the very server the child is talking to. `env` replaces every HF_ and RIGWATCH variable, and
 * XDG_CACHE_HOME unless it names one.
 */
export function runPublish(
  args: readonly string[],
  env: Readonly<Record<string, string>>,
): Promise<RunResult> {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith("HF_") && !name.startsWith("RIGWATCH")),
  );
  const child = spawn(process.execPath, ["--import", "tsx", "cli/cli.ts", "publish", ...args], {
    cwd: PROJECT_ROOT,
    env: { ...base, XDG_CACHE_HOME: CACHE_HOME, ...env },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/** The JSON lines of a `--json` run. */
export function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
