/**
 * MCAP export benchmark (issue 14): a full-resolution generated take through `rigwatch export`, one
 * core, against Debian's h5py + Pillow doing the same reads and JPEGs in the same run.
 *
 *   npm run build && node --import tsx bench/export.bench.ts [--seconds 30,90] [--runs 3]
 *
 * Prints export wall time and CPU time as multiples of the take's real time (below 1 = faster than
 * the take lasted), peak RSS of the export process (bounded: it must not grow with the take), the
 * file's size, and the ratio of export time to the Python reference. Medians over the runs.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { generateEpisode } from "../sim/episode/generate.js";
import { presetSession } from "../sim/episode/presets.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const cli = join(root, "dist/cli/cli.js");
const { values } = parseArgs({
  options: { seconds: { type: "string", default: "30,90" }, runs: { type: "string", default: "3" } },
});
const lengths = (values.seconds as string).split(",").map(Number);
const runs = Number(values.runs);
const oneCore = spawnSync("taskset", ["-c", "0", "true"]).status === 0 ? ["taskset", "-c", "0"] : [];
const QUALITY = 85;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;

function exportRun(path: string, out: string) {
  const [bin, ...args] = [
    ...oneCore,
    process.execPath,
    "--import",
    join(root, "bench/rssReport.mjs"),
    cli,
    "export",
    path,
    "--out",
    out,
  ] as unknown as [string, ...string[]];
  const start = performance.now();
  const run = spawnSync(bin, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const seconds = (performance.now() - start) / 1000;
  if (run.status !== 0) throw new Error(`export failed: ${run.stderr}`);
  return {
    seconds,
    cpu: Number(/BENCH_CPU_S=([\d.]+)/.exec(run.stderr)?.[1]),
    rssMb: Number(/BENCH_MAX_RSS_KB=(\d+)/.exec(run.stderr)?.[1]) / 1024,
  };
}

function pythonReference(path: string): number {
  const [bin, ...args] = [
    ...oneCore,
    "/usr/bin/python3",
    join(root, "bench/h5pyJpeg.py"),
    path,
    String(QUALITY),
  ] as unknown as [string, ...string[]];
  return JSON.parse(execFileSync(bin, args, { encoding: "utf8" })).seconds;
}

const work = mkdtempSync(join(tmpdir(), "rigwatch-bench-"));
console.log(
  `machine: ${cpus()[0]?.model} × ${cpus().length}, node ${process.version}${oneCore.length ? ", pinned to core 0" : ""}, load ${loadavg()[0]?.toFixed(1)}`,
);
console.log(
  "take   h5 size  mcap size  export s  ×realtime  CPU s  CPU×realtime  peak RSS  h5py+Pillow s  export/ref",
);
try {
  for (const seconds of lengths) {
    const session = presetSession("long", { seconds, seed: 7 });
    const path = join(work, "data", session.task, session.date, "episode_000.h5");
    await generateEpisode(session.episodes[0] as (typeof session.episodes)[number], path);
    const size = statSync(path).size;
    const wall: number[] = [];
    const cpu: number[] = [];
    const rss: number[] = [];
    const ref: number[] = [];
    const out = join(work, "out");
    for (let r = 0; r < runs; r++) {
      const run = exportRun(path, out);
      wall.push(run.seconds);
      cpu.push(run.cpu);
      rss.push(run.rssMb);
      ref.push(pythonReference(path));
    }
    const mcap = statSync(join(out, session.date, "episode_000.mcap")).size;
    const w = median(wall);
    const c = median(cpu);
    console.log(
      [
        `${seconds} s`.padEnd(7),
        `${(size / 1e6).toFixed(0)} MB`.padEnd(8),
        `${(mcap / 1e6).toFixed(0)} MB`.padStart(9),
        w.toFixed(2).padStart(9),
        `${(w / seconds).toFixed(2)}×`.padStart(10),
        c.toFixed(2).padStart(6),
        `${(c / seconds).toFixed(2)}×`.padStart(13),
        `${median(rss).toFixed(0)} MB`.padStart(9),
        median(ref).toFixed(2).padStart(14),
        (w / median(ref)).toFixed(2).padStart(11),
      ].join(" "),
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
