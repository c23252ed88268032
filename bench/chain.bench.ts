/**
 * The whole post-session chain (issue 12): `rigwatch process` on a generated session of full-resolution
 * takes with --jobs 1 and --jobs 2, beside the native floor measured in the same script: Debian h5py
 * copying every dataset of the same files chunk by chunk into SHUF+GZIP=4 (bench/h5pyRepack.py, one
 * process per take, one after another).
 *
 *   npm run build && node --import tsx bench/chain.bench.ts [--takes 8] [--seconds 10] [--noise realistic,clean]
 *
 * Per run: wall time, per-stage busy time (from the --json progress lines: each stage's running →
 * done, summed over takes), peak RSS of the process (its worker threads included). Each run works
 * on a fresh copy of the session (process compresses in place). Targets: chain ≤ 1.5× the floor per
 * core, --jobs 2 ≥ 1.8× faster than --jobs 1, ≤ 600 MB per worker.
 */
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { generateEpisode } from "../sim/episode/generate.js";
import { presetSession } from "../sim/episode/presets.js";
import { SENSOR_NOISE, type SensorNoise } from "../sim/episode/sensorNoise.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const cli = join(root, "dist/cli/cli.js");
const { values } = parseArgs({
  options: {
    takes: { type: "string", default: "8" },
    seconds: { type: "string", default: "10" },
    noise: { type: "string", default: "realistic,clean" },
    jobs: { type: "string", default: "1,2" },
  },
});
const takes = Number(values.takes);
const seconds = Number(values.seconds);
const noises = (values.noise as string).split(",") as SensorNoise[];
if (noises.some((n) => !SENSOR_NOISE.includes(n))) throw new Error(`--noise: ${SENSOR_NOISE.join(", ")}`);
const jobsList = (values.jobs as string).split(",").map(Number);

interface ChainRun {
  readonly wall: number;
  /** Busy seconds per stage, summed over takes (and over lanes: may exceed the wall time with --jobs 2). */
  readonly stages: Record<string, number>;
  readonly maxRssMb: number;
}

/** `rigwatch process --json --jobs N` on `dateDir`, timing each stage from its progress lines. */
function runChain(dateDir: string, jobs: number): Promise<ChainRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [
      "--import",
      join(root, "bench/rssReport.mjs"),
      cli,
      "process",
      "--json",
      "--jobs",
      String(jobs),
      dateDir,
    ]);
    const running = new Map<string, number>();
    const stages: Record<string, number> = {};
    let buffered = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      buffered += String(chunk);
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      const at = performance.now();
      for (const line of lines) {
        const e = JSON.parse(line) as { type: string; episode?: string; stage?: string; state?: string };
        if (e.type !== "progress" || e.stage === undefined) continue;
        const key = `${e.episode}/${e.stage}`;
        if (e.state === "running") running.set(key, at);
        else if (e.state === "done" && running.has(key)) {
          stages[e.stage] = (stages[e.stage] ?? 0) + (at - (running.get(key) as number)) / 1000;
          running.delete(key);
        }
      }
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += String(chunk)));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0)
        return reject(new Error(`process --jobs ${jobs} exited ${code}: ${stderr.slice(-2000)}`));
      resolve({
        wall: (performance.now() - started) / 1000,
        stages,
        maxRssMb: Number(/BENCH_MAX_RSS_KB=(\d+)/.exec(stderr)?.[1]) / 1024,
      });
    });
  });
}

/** h5py's chunk-wise SHUF+GZIP=4 copy of each take, one after another: seconds in all. */
function nativeFloor(files: readonly string[], out: string): number {
  let total = 0;
  for (const file of files) {
    const target = join(out, "floor.h5");
    const run = spawnSync("/usr/bin/python3", [join(root, "bench/h5pyRepack.py"), file, target], {
      encoding: "utf8",
    });
    if (run.status !== 0) throw new Error(`h5pyRepack failed: ${run.stderr}`);
    total += Number(run.stdout.trim());
    rmSync(target, { force: true });
  }
  return total;
}

const work = mkdtempSync(join(tmpdir(), "rigwatch-chain-bench-"));
console.log(`machine: ${cpus()[0]?.model} × ${cpus().length}, node ${process.version}`);
try {
  for (const noise of noises) {
    const session = presetSession("realistic", { count: takes, seconds, noise });
    const source = join(work, "source");
    const dateDir = (base: string) => join(base, "data", session.task, session.date);
    for (const [i, scenario] of session.episodes.entries())
      await generateEpisode(scenario, join(dateDir(source), `episode_${String(i).padStart(3, "0")}.h5`));
    const files = readdirSync(dateDir(source))
      .filter((f) => f.endsWith(".h5"))
      .map((f) => join(dateDir(source), f));
    const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
    const recorded = takes * seconds;
    console.log(
      `\n${noise}: ${takes} takes × ${seconds} s = ${recorded} s recorded, ${(bytes / 1e9).toFixed(2)} GB BLOSC`,
    );
    const floor = nativeFloor(files, work);
    console.log(`native floor (h5py SHUF+GZIP=4 copy, one core): ${floor.toFixed(1)} s`);
    const walls: Record<number, number> = {};
    for (const jobs of jobsList) {
      const copy = join(work, `jobs${jobs}`);
      cpSync(source, copy, { recursive: true });
      const run = await runChain(dateDir(copy), jobs);
      walls[jobs] = run.wall;
      rmSync(copy, { recursive: true, force: true });
      const perCore = (run.wall * jobs) / floor;
      console.log(
        `process --jobs ${jobs}: ${run.wall.toFixed(1)} s (${(recorded / run.wall).toFixed(2)}× real time), ` +
          `${perCore.toFixed(2)}× the floor per core, peak RSS ${run.maxRssMb.toFixed(0)} MB ` +
          `(${(run.maxRssMb / jobs).toFixed(0)} MB per worker)`,
      );
      console.log(
        `  stage busy s: ${Object.entries(run.stages)
          .map(([stage, s]) => `${stage} ${s.toFixed(1)}`)
          .join(", ")}`,
      );
    }
    if (walls[1] !== undefined && walls[2] !== undefined)
      console.log(
        `--jobs 2 vs --jobs 1: ${((walls[1] as number) / (walls[2] as number)).toFixed(2)}× faster`,
      );
    rmSync(source, { recursive: true, force: true });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
