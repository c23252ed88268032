/**
 * Compress benchmark (issue 5): `rigwatch compress` against `h5repack -f SHUF -f GZIP=4` on the same
 * generated full-resolution BLOSC take, as the recorder writes it.
 *
 *   node --import tsx bench/compress.bench.ts [--seconds 30] [--runs 3] [--pair-runs 1]
 *
 * One file: each tool on a fresh copy, medians of wall time (throughput = source MB / s), output size
 * and peak RSS. Two files: `--jobs 2` against h5repack run on the two files one after the other.
 * rigwatch runs the built CLI (`npm run build` first): `node dist/cli/cli.js compress`.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { generateEpisode } from "../sim/episode/generate.js";
import { presetSession } from "../sim/episode/presets.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "30" },
    runs: { type: "string", default: "3" },
    "pair-runs": { type: "string", default: "1" },
  },
});
const seconds = Number(values.seconds);
const runs = Number(values.runs);
const pairRuns = Number(values["pair-runs"]);

/** h5repack needs the BLOSC plugin: hdf5plugin's folder, or Debian's (python3-hdf5plugin uses that one). */
function pluginPath(): string {
  const run = spawnSync("/usr/bin/python3", ["-c", "import hdf5plugin; print(hdf5plugin.PLUGIN_PATH)"], {
    encoding: "utf8",
  });
  const fromPython = run.stdout.trim();
  return run.status === 0 && existsSync(fromPython)
    ? fromPython
    : "/usr/lib/x86_64-linux-gnu/hdf5/serial/plugins";
}
const HDF5_PLUGIN_PATH = pluginPath();

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;

interface Run {
  readonly seconds: number;
  readonly rssMb: number;
}

function timed(bin: string, args: string[], rssOf: (stderr: string) => number): Run {
  const start = performance.now();
  const run = spawnSync(bin, args, {
    encoding: "utf8",
    env: { ...process.env, HDF5_PLUGIN_PATH },
    maxBuffer: 64 << 20,
  });
  const wall = (performance.now() - start) / 1000;
  if (run.status !== 0) throw new Error(`${bin} ${args.join(" ")} failed (${run.status}): ${run.stderr}`);
  return { seconds: wall, rssMb: rssOf(run.stderr) / 1024 };
}

/** `rigwatch compress`, its peak RSS (main thread and workers: one process) from bench/rssReport.mjs. */
function rigwatch(paths: string[], jobs: number): Run {
  const args = ["--import", join(root, "bench/rssReport.mjs"), join(root, "dist/cli/cli.js"), "compress"];
  return timed(process.execPath, [...args, "--jobs", String(jobs), ...paths], (stderr) =>
    Number(/BENCH_MAX_RSS_KB=(\d+)/.exec(stderr)?.[1]),
  );
}

/** h5repack on each file in turn; the peak RSS of the largest run (GNU time's %M). */
function h5repack(paths: string[]): Run {
  let total = 0;
  let rss = 0;
  for (const path of paths) {
    const out = `${path}.repacked.h5`;
    rmSync(out, { force: true });
    const run = timed(
      "/usr/bin/time",
      ["-f", "RSS_KB=%M", "h5repack", "-f", "SHUF", "-f", "GZIP=4", path, out],
      (stderr) => Number(/RSS_KB=(\d+)/.exec(stderr)?.[1]),
    );
    total += run.seconds;
    rss = Math.max(rss, run.rssMb);
  }
  return { seconds: total, rssMb: rss };
}

const work = mkdtempSync(join(tmpdir(), "rigwatch-compress-bench-"));
try {
  const sources: string[] = [];
  for (const seed of [7, 8]) {
    const session = presetSession("long", { seconds, seed });
    const path = join(work, "src", `episode_${String(seed).padStart(3, "0")}.h5`);
    await generateEpisode(session.episodes[0] as (typeof session.episodes)[number], path);
    sources.push(path);
  }
  const [one] = sources as [string, string];
  const sourceMb = statSync(one).size / 1e6;
  console.log(
    `machine: ${cpus()[0]?.model} × ${cpus().length}, node ${process.version}, HDF5_PLUGIN_PATH=${HDF5_PLUGIN_PATH}`,
  );
  console.log(
    `take: ${seconds} s, ${sourceMb.toFixed(1)} MB BLOSC; ${runs} runs one file, ${pairRuns} runs two files`,
  );

  /** Fresh copies of the sources in their own folder (copying is not timed). */
  const fresh = (label: string, files: string[]) => {
    const dir = join(work, label);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    return files.map((src, i) => {
      const dst = join(dir, `episode_${String(i).padStart(3, "0")}.h5`);
      copyFileSync(src, dst);
      return dst;
    });
  };

  const ours: Run[] = [];
  const theirs: Run[] = [];
  let oursBytes = 0;
  let theirsBytes = 0;
  for (let r = 0; r < runs; r++) {
    const [mine] = fresh("ours", [one]) as [string];
    ours.push(rigwatch([mine], 1));
    oursBytes = statSync(mine).size;
    const [repack] = fresh("theirs", [one]) as [string];
    theirs.push(h5repack([repack]));
    theirsBytes = statSync(`${repack}.repacked.h5`).size;
    console.log(
      `run ${r + 1}: rigwatch ${ours.at(-1)?.seconds.toFixed(1)} s ${ours.at(-1)?.rssMb.toFixed(0)} MB | h5repack ${theirs.at(-1)?.seconds.toFixed(1)} s ${theirs.at(-1)?.rssMb.toFixed(0)} MB`,
    );
  }
  const oursS = median(ours.map((r) => r.seconds));
  const theirsS = median(theirs.map((r) => r.seconds));
  console.log("\none file              median s   MB/s (source)   output MB   peak RSS MB");
  console.log(
    `rigwatch compress     ${oursS.toFixed(1).padStart(8)}   ${(sourceMb / oursS).toFixed(2).padStart(13)}   ${(oursBytes / 1e6).toFixed(1).padStart(9)}   ${median(
      ours.map((r) => r.rssMb),
    )
      .toFixed(0)
      .padStart(11)}`,
  );
  console.log(
    `h5repack SHUF+GZIP=4  ${theirsS.toFixed(1).padStart(8)}   ${(sourceMb / theirsS).toFixed(2).padStart(13)}   ${(theirsBytes / 1e6).toFixed(1).padStart(9)}   ${median(
      theirs.map((r) => r.rssMb),
    )
      .toFixed(0)
      .padStart(11)}`,
  );
  console.log(`throughput ratio (ours / h5repack): ${(theirsS / oursS).toFixed(2)}× (target ≥ 0.8)`);
  console.log(`size ratio (ours / h5repack): ${(oursBytes / theirsBytes).toFixed(3)}× (target ≤ 1.05)`);

  const pairOurs: Run[] = [];
  const pairTheirs: Run[] = [];
  for (let r = 0; r < pairRuns; r++) {
    pairOurs.push(rigwatch(fresh("pair-ours", sources), 2));
    pairTheirs.push(h5repack(fresh("pair-theirs", sources)));
    console.log(
      `pair run ${r + 1}: rigwatch --jobs 2 ${pairOurs.at(-1)?.seconds.toFixed(1)} s ${pairOurs.at(-1)?.rssMb.toFixed(0)} MB | h5repack ×2 sequential ${pairTheirs.at(-1)?.seconds.toFixed(1)} s`,
    );
  }
  const pairOursS = median(pairOurs.map((r) => r.seconds));
  const pairTheirsS = median(pairTheirs.map((r) => r.seconds));
  console.log(
    `\ntwo files: rigwatch --jobs 2 ${pairOursS.toFixed(1)} s (peak RSS ${median(pairOurs.map((r) => r.rssMb)).toFixed(0)} MB), h5repack sequential ${pairTheirsS.toFixed(1)} s`,
  );
  console.log(
    `throughput ratio (ours --jobs 2 / h5repack sequential): ${(pairTheirsS / pairOursS).toFixed(2)}× (target ≥ 1.5)`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
