/**
 * Detect benchmark (issues 2, 12): a full-resolution generated take through `rigwatch detect`, against
 * Debian h5py reading the same image datasets in the same machine and run, with the clean and the
 * realistic sensor noise.
 *
 *   npm run build && node --import tsx bench/detect.bench.ts [--seconds 30,90] [--runs 3] [--noise clean,realistic]
 *
 * Each run is `detect` twice: cold (no evidence: the analysis pass reads every frame, then the
 * analysis) and from the evidence with a changed threshold (`--set detect.bufferFrames=…`, so detect's
 * result cache cannot answer: the analysis alone, as a re-run with new thresholds does). Prints
 * throughput as a multiple of real time, peak RSS of the detect process, and the ratio of the cold
 * detect's wall time to h5py's read time. Medians over the runs; one core (taskset) when available.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
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
  },
});
const noises = (values.noise as string).split(",") as SensorNoise[];
const lengths = (values.seconds as string).split(",").map(Number);
const runs = Number(values.runs);
const oneCore = spawnSync("taskset", ["-c", "0", "true"]).status === 0 ? ["taskset", "-c", "0"] : [];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;

function timed(command: string[]): { seconds: number; stderr: string } {
  const [bin, ...args] = [...oneCore, ...command] as [string, ...string[]];
  const start = performance.now();
  const run = spawnSync(bin, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const seconds = (performance.now() - start) / 1000;
  if (run.status !== 0) throw new Error(`${command.join(" ")} failed: ${run.stderr}`);
  return { seconds, stderr: run.stderr };
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
      const rss: number[] = [];
      const read3: number[] = [];
      const read5: number[] = [];
      const detect = (extra: string[]) =>
        timed([
          process.execPath,
          "--import",
          join(root, "bench/rssReport.mjs"),
          cli,
          "detect",
          path,
          "--out",
          join(work, "out"),
          ...extra,
        ]);
      for (let r = 0; r < runs; r++) {
        rmSync(join(dateDir, ".rigwatch"), { recursive: true, force: true });
        const run = detect([]);
        cold.push(run.seconds);
        rss.push(Number(/BENCH_MAX_RSS_KB=(\d+)/.exec(run.stderr)?.[1]) / 1024);
        warm.push(detect(["--set", `detect.bufferFrames=${4 + r}`]).seconds);
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
      rmSync(join(work, "data"), { recursive: true, force: true });
    }
} finally {
  rmSync(work, { recursive: true, force: true });
}
