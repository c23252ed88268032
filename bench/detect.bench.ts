/**
 * Detect benchmark (issues 2, 12): a full-resolution generated take through `rigwatch detect`, against
 * Debian h5py reading the same image datasets in the same machine and run, with the clean and the
 * realistic sensor noise.
 *
 *   npm run build && node --import tsx bench/detect.bench.ts [--seconds 30,90] [--runs 3] [--noise clean,realistic]
 *                                                            [--takes 8]
 *
 * Each run is `detect` twice: cold (no evidence: the analysis pass reads every frame, then the
 * analysis) and from the evidence with a changed threshold (`--set detect.bufferFrames=…`, so detect's
 * result cache cannot answer: the analysis alone, as a re-run with new thresholds does). Prints
 * throughput as a multiple of real time, peak RSS of the detect process, and the ratio of the cold
 * detect's wall time to h5py's read time. Medians over the runs; one core (taskset) when available.
 *
 * With --takes N (> 1), the session's re-run too: the take hard-linked N − 1 times more into the same
 * session (each link its own episode and evidence), detect run cold over the session once, then
 * `runs` times from the evidence with a changed threshold: seconds and CPU seconds for the session.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { linkSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { generateEpisode } from "../sim/episode/generate.js";
import { presetSession } from "../sim/episode/presets.js";
import type { SensorNoise } from "../sim/episode/sensorNoise.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const cli = join(root, "dist/cli/cli.js");
const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "30,90" },
    runs: { type: "string", default: "3" },
    noise: { type: "string", default: "clean,realistic" },
    takes: { type: "string", default: "1" },
  },
});
const takes = Number(values.takes);
const noises = (values.noise as string).split(",") as SensorNoise[];
const lengths = (values.seconds as string).split(",").map(Number);
const runs = Number(values.runs);
const oneCore = spawnSync("taskset", ["-c", "0", "true"]).status === 0 ? ["taskset", "-c", "0"] : [];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;

function timed(command: string[]): { seconds: number; stderr: string; cpuSeconds: number } {
  const [bin, ...args] = [...oneCore, ...command] as [string, ...string[]];
  const start = performance.now();
  const run = spawnSync(bin, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const seconds = (performance.now() - start) / 1000;
  if (run.status !== 0) throw new Error(`${command.join(" ")} failed: ${run.stderr}`);
  return { seconds, stderr: run.stderr, cpuSeconds: Number(/BENCH_CPU_S=([\d.]+)/.exec(run.stderr)?.[1]) };
}

function h5pyRead(path: string, streams: string): number {
  const [bin, ...args] = [
    ...oneCore,
    "/usr/bin/python3",
    join(root, "bench/h5pyRead.py"),
    path,
    streams,
  ] as unknown as [string, ...string[]];
  return JSON.parse(execFileSync(bin, args, { encoding: "utf8" })).seconds;
}

const work = mkdtempSync(join(tmpdir(), "rigwatch-bench-"));
console.log(
  `machine: ${cpus()[0]?.model} × ${cpus().length}, node ${process.version}${oneCore.length ? ", pinned to core 0" : ""}`,
);
console.log(
  "noise      take   size      cold s  ×realtime  peak RSS  warm s  ×realtime  h5py 3 streams s  h5py 5 streams s  cold/h5py(3)  cold/h5py(5)",
);
try {
  for (const noise of noises)
    for (const seconds of lengths) {
      const session = presetSession("long", { seconds, seed: 7, noise });
      const dateDir = join(work, "data", session.task, session.date);
      const path = join(dateDir, `episode_${String(seconds).padStart(3, "0")}.h5`);
      await generateEpisode(session.episodes[0] as (typeof session.episodes)[number], path);
      const size = statSync(path).size;
      const cold: number[] = [];
      const warm: number[] = [];
      const warmCpu: number[] = [];
      const rss: number[] = [];
      const read3: number[] = [];
      const read5: number[] = [];
      const detect = (extra: string[], target = path) =>
        timed([
          process.execPath,
          "--import",
          join(root, "bench/rssReport.mjs"),
          cli,
          "detect",
          target,
          "--out",
          join(work, "out"),
          ...extra,
        ]);
      for (let r = 0; r < runs; r++) {
        rmSync(join(dateDir, ".rigwatch"), { recursive: true, force: true });
        const run = detect([]);
        cold.push(run.seconds);
        rss.push(Number(/BENCH_MAX_RSS_KB=(\d+)/.exec(run.stderr)?.[1]) / 1024);
        const again = detect(["--set", `detect.bufferFrames=${4 + r}`]);
        warm.push(again.seconds);
        warmCpu.push(again.cpuSeconds);
        read3.push(h5pyRead(path, "cam0,gel_left,gel_right"));
        read5.push(h5pyRead(path, "cam0,cam1,cam2,gel_left,gel_right"));
      }
      const d = median(cold);
      const w = median(warm);
      console.log(
        [
          noise.padEnd(10),
          `${seconds} s`.padEnd(6),
          `${(size / 1e6).toFixed(0)} MB`.padEnd(9),
          d.toFixed(2).padStart(7),
          `${(seconds / d).toFixed(1)}×`.padStart(10),
          `${median(rss).toFixed(0)} MB`.padStart(9),
          w.toFixed(2).padStart(7),
          `${(seconds / w).toFixed(1)}×`.padStart(10),
          median(read3).toFixed(2).padStart(17),
          median(read5).toFixed(2).padStart(17),
          (d / median(read3)).toFixed(2).padStart(13),
          (d / median(read5)).toFixed(2).padStart(13),
        ].join(" "),
      );
      console.log(
        `  one take, re-run from the evidence: ${median(warmCpu).toFixed(2)} s CPU (${(seconds / median(warmCpu)).toFixed(1)}× real time)`,
      );
      if (takes > 1) {
        for (let i = 1; i < takes; i++)
          linkSync(path, join(dateDir, `episode_${String(seconds + i).padStart(3, "0")}.h5`));
        detect([], dateDir);
        const session = Array.from({ length: runs }, (_, r) =>
          detect(["--set", `detect.bufferFrames=${20 + r}`], dateDir),
        );
        const wall = median(session.map((x) => x.seconds));
        const cpu = median(session.map((x) => x.cpuSeconds));
        console.log(
          `  session of ${takes} such takes (${takes * seconds} s recorded), re-run from the evidence with a changed threshold: ` +
            `${wall.toFixed(2)} s wall (${((takes * seconds) / wall).toFixed(1)}× real time), ` +
            `${cpu.toFixed(2)} s CPU (${((takes * seconds) / cpu).toFixed(1)}×), ${(wall / takes).toFixed(3)} s wall per take`,
        );
      }
      rmSync(join(work, "data"), { recursive: true, force: true });
    }
} finally {
  rmSync(work, { recursive: true, force: true });
}
