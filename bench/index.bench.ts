/**
 * Contact index benchmark (issues 5, 12): the index stage on a full-resolution generated take, as a
 * multiple of real time (target ≥ 10×), with the clean and the realistic sensor noise.
 *
 *   node --import tsx bench/index.bench.ts [--seconds 30] [--runs 3] [--noise clean,realistic]
 *
 * Two kinds of run: cold (the take's evidence removed first: the analysis pass reads every frame,
 * then the `.pt` is written from it) and from the evidence (what the chain does after its pass).
 * Each run is a fresh child process (this file with --child) pinned to one core when taskset exists;
 * it reports the stage's own wall time (reader open → .pt renamed, sidecar written), its CPU time
 * (user + system: less sensitive to other processes on a shared machine) and its peak RSS. The
 * whole-process time (Node start, module load, wasm compile) is printed beside it. Medians over the runs.
 * Then the machine's throughput as `--jobs 2` gets it: two children at once, unpinned, on two copies
 * of the take, as frames indexed per second of wall time over both.
 */
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { loadConfig } from "../config/index.js";
import { generateEpisode } from "../sim/episode/generate.js";
import { presetSession } from "../sim/episode/presets.js";
import type { SensorNoise } from "../sim/episode/sensorNoise.js";
import { analyseEpisode } from "../stages/detect/analyseEpisode.js";
import { indexEpisode } from "../stages/contactIndex/index.js";

/** What one child run reports, plus its whole-process wall time. */
interface ChildRun {
  readonly wall: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly frames: number;
  readonly fps: number;
  readonly bytes: number;
  readonly maxRssKb: number;
}

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "30" },
    runs: { type: "string", default: "3" },
    child: { type: "string" },
    "detect-only": { type: "boolean" },
    out: { type: "string" },
    noise: { type: "string", default: "clean,realistic" },
  },
});

if (values.child !== undefined) {
  // Child: one run (index, or detect's pass alone for comparison), one JSON line on stdout.
  const detect = loadConfig({ env: {}, sets: [] }).detect;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const { result, ptBytes } = values["detect-only"]
    ? { ...(await analyseEpisode(values.child, { key: "bench/episode", detect })), ptBytes: 0 }
    : await indexEpisode(values.child, { key: "bench/episode", detect, outDir: values.out as string });
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  console.log(
    JSON.stringify({
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      frames: result.preTrimFrames,
      fps: result.fps,
      bytes: ptBytes,
      maxRssKb: process.resourceUsage().maxRSS,
    }),
  );
} else {
  const self = fileURLToPath(import.meta.url);
  const lengths = (values.seconds as string).split(",").map(Number);
  const noises = (values.noise as string).split(",") as SensorNoise[];
  const runs = Number(values.runs);
  const oneCore = spawnSync("taskset", ["-c", "0", "true"]).status === 0 ? ["taskset", "-c", "0"] : [];
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;
  const work = mkdtempSync(join(tmpdir(), "rigwatch-index-bench-"));
  console.log(
    `machine: ${cpus()[0]?.model} × ${cpus().length}, node ${process.version}${oneCore.length ? ", pinned to core 0" : ""}`,
  );
  console.log(
    "noise      take   h5 size  .pt size  runs  cold s  frames/s  ×realtime  cpu s  ×rt (cpu)  process s  ×realtime  peak RSS  warm s  ×realtime",
  );
  try {
    for (const noise of noises)
      for (const seconds of lengths) {
        const session = presetSession("long", { seconds, seed: 7, noise });
        const path = join(work, "data", session.task, session.date, "episode_000.h5");
        await generateEpisode(session.episodes[0] as (typeof session.episodes)[number], path);
        const runChild = (extra: string[]) => {
          const [bin, ...args] = [
            ...oneCore,
            process.execPath,
            "--import",
            "tsx",
            self,
            "--child",
            path,
            "--out",
            join(work, "out"),
            ...extra,
          ] as [string, ...string[]];
          const t0 = performance.now();
          const run = spawnSync(bin, args, { encoding: "utf8" });
          const wall = (performance.now() - t0) / 1000;
          if (run.status !== 0) throw new Error(`index run failed: ${run.stderr}`);
          return { wall, ...JSON.parse(run.stdout.trim().split("\n").pop() as string) } as ChildRun;
        };
        const index: ChildRun[] = [];
        const warm: ChildRun[] = [];
        // Interleaved, so load from other processes hits both alike.
        for (let r = 0; r < runs; r++) {
          rmSync(join(work, "data", session.task, session.date, ".rigwatch"), {
            recursive: true,
            force: true,
          });
          index.push(runChild([]));
          warm.push(runChild([]));
        }
        const first = index[0] as ChildRun;
        const takeS = first.frames / first.fps;
        const med = (pick: (x: ChildRun) => number, xs = index) => median(xs.map(pick));
        const s = med((x) => x.seconds);
        const c = med((x) => x.cpuSeconds);
        const ws = med((x) => x.seconds, warm);
        console.log(
          [
            noise.padEnd(10),
            `${seconds} s`.padEnd(6),
            `${(statSync(path).size / 1e6).toFixed(0)} MB`.padStart(8),
            `${(first.bytes / 1e6).toFixed(0)} MB`.padStart(9),
            String(runs).padStart(5),
            s.toFixed(2).padStart(8),
            (first.frames / s).toFixed(0).padStart(9),
            `${(takeS / s).toFixed(1)}×`.padStart(10),
            c.toFixed(2).padStart(6),
            `${(takeS / c).toFixed(1)}×`.padStart(10),
            med((x) => x.wall)
              .toFixed(2)
              .padStart(10),
            `${(takeS / med((x) => x.wall)).toFixed(1)}×`.padStart(10),
            `${med((x) => x.maxRssKb / 1024).toFixed(0)} MB`.padStart(9),
            ws.toFixed(2).padStart(7),
            `${(takeS / ws).toFixed(1)}×`.padStart(10),
            `  (stage s per run: ${index.map((x) => x.seconds.toFixed(2)).join(", ")})`,
          ].join(" "),
        );
        const twin = path.replace(/episode_000\.h5$/, "episode_001.h5");
        copyFileSync(path, twin);
        const pairWalls: number[] = [];
        for (let r = 0; r < runs; r++) {
          rmSync(join(work, "data", session.task, session.date, ".rigwatch"), {
            recursive: true,
            force: true,
          });
          pairWalls.push(await runPair(self, [path, twin], work));
        }
        const pairWall = median(pairWalls);
        console.log(
          `two episodes at once, cold (--jobs 2, unpinned): wall ${pairWall.toFixed(2)} s for ${2 * first.frames} frames = ` +
            `${((2 * first.frames) / pairWall).toFixed(0)} frames/s = ${((2 * takeS) / pairWall).toFixed(1)}× real time` +
            `  (wall per run: ${pairWalls.map((w) => w.toFixed(2)).join(", ")})`,
        );
        rmSync(join(work, "data"), { recursive: true, force: true });
      }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Wall seconds from starting one index child per take, all at once, to the last one's exit. */
async function runPair(self: string, takes: readonly string[], work: string): Promise<number> {
  const t0 = performance.now();
  await Promise.all(
    takes.map(
      (take, i) =>
        new Promise<void>((resolve, reject) => {
          const child = spawn(
            process.execPath,
            ["--import", "tsx", self, "--child", take, "--out", join(work, `out-pair-${i}`)],
            { stdio: ["ignore", "ignore", "inherit"] },
          );
          child.on("error", reject);
          child.on("exit", (code) =>
            code === 0 ? resolve() : reject(new Error(`index child exit ${code}`)),
          );
        }),
    ),
  );
  return (performance.now() - t0) / 1000;
}
