/**
 * Compress benchmark (issues 5 and 12): `rigwatch compress` against the copy a data person writes with
 * h5py (every dataset chunk by chunk into SHUF+GZIP=4, bench/h5pyRepack.py, no verification) and
 * against `h5repack -f SHUF -f GZIP=4`, on the same full-resolution BLOSC takes written by h5py as the
 * recorder writes them: "clean" (the generator's frames, which BLOSC shrinks ~10×) and "realistic"
 * (the same with sensor noise, bench/realisticTake.py: BLOSC ~1.6×, as real takes).
 *
 *   node --import tsx bench/compress.bench.ts [--seconds 4] [--runs 3] [--kinds clean,realistic] [--no-h5repack]
 *
 * Every tool runs under GNU time: wall seconds, CPU seconds (user + system: what "per core" compares,
 * robust to other load on the machine) and peak RSS (rigwatch's workers are threads of one process).
 * One file: medians of `--runs`. Two files: rigwatch `--jobs 2` against two h5py copies side by side.
 * rigwatch runs the built CLI (`npm run build` first).
 */
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { generateEpisode } from "../sim/episode/generate.js";
import { presetSession } from "../sim/episode/presets.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "4" },
    runs: { type: "string", default: "3" },
    kinds: { type: "string", default: "clean,realistic" },
    "no-h5repack": { type: "boolean", default: false },
  },
});
const seconds = Number(values.seconds);
const runs = Number(values.runs);
const kinds = (values.kinds ?? "").split(",") as ("clean" | "realistic")[];
const PYTHON = "/usr/bin/python3";
/** Debian's filter plugins (BLOSC, LZF) for h5repack; h5py finds them through hdf5plugin. */
const PLUGINS = "/usr/lib/x86_64-linux-gnu/hdf5/serial/plugins";

interface Run {
  readonly wall: number;
  readonly cpu: number;
  readonly rssMb: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;
const TIME_FORMAT = "BENCH_TIME %e %U %S %M";

function parseTime(stderr: string): Run {
  const match = /BENCH_TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(stderr);
  if (match === null) throw new Error(`no timing in: ${stderr.slice(-500)}`);
  const [, wall, user, sys, rss] = match.map(Number) as [number, number, number, number, number];
  return { wall, cpu: user + sys, rssMb: rss / 1024 };
}

/** One timed command (GNU time), synchronously. */
function timed(args: string[], env: NodeJS.ProcessEnv = process.env): Run {
  const run = spawnSync("/usr/bin/time", ["-f", TIME_FORMAT, ...args], {
    encoding: "utf8",
    env,
    maxBuffer: 64 << 20,
  });
  if (run.status !== 0)
    throw new Error(`${args.join(" ")} failed (${run.status}): ${run.stderr.slice(-2000)}`);
  return parseTime(run.stderr);
}

/** Several timed commands at once: the wall of the slowest, CPU summed, RSS of the largest. */
async function timedTogether(commands: string[][]): Promise<Run> {
  const runs = await Promise.all(
    commands.map(
      (args) =>
        new Promise<Run>((resolve, reject) => {
          const child = spawn("/usr/bin/time", ["-f", TIME_FORMAT, ...args], {
            stdio: ["ignore", "ignore", "pipe"],
          });
          let stderr = "";
          child.stderr.on("data", (chunk: Buffer) => (stderr += String(chunk)));
          child.on("close", (code) =>
            code === 0
              ? resolve(parseTime(stderr))
              : reject(new Error(`${args.join(" ")}: ${stderr.slice(-2000)}`)),
          );
        }),
    ),
  );
  return {
    wall: Math.max(...runs.map((r) => r.wall)),
    cpu: runs.reduce((a, r) => a + r.cpu, 0),
    rssMb: Math.max(...runs.map((r) => r.rssMb)),
  };
}

const rigwatch = (paths: string[], jobs: number) => [
  process.execPath,
  join(root, "dist/cli/cli.js"),
  "compress",
  "--jobs",
  String(jobs),
  ...paths,
];
const h5pyCopy = (path: string) => [PYTHON, join(root, "bench/h5pyRepack.py"), path, `${path}.h5py.h5`];

const work = mkdtempSync(join(tmpdir(), "rigwatch-compress-bench-"));
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
const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
const row = (name: string, r: Run, sourceMb: number, outMb: string) =>
  `${name.padEnd(34)} ${r.wall.toFixed(1).padStart(7)} ${r.cpu.toFixed(1).padStart(7)} ${(sourceMb / r.wall).toFixed(1).padStart(9)} ${outMb.padStart(9)} ${r.rssMb.toFixed(0).padStart(8)}`;

try {
  console.log(
    `machine: ${cpus()[0]?.model} × ${cpus().length}, node ${process.version}, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")} at start; ${seconds} s takes, ${runs} runs`,
  );
  const generated: string[] = [];
  for (const seed of [7, 8]) {
    const session = presetSession("clean", { seconds, seed });
    const path = join(work, "gen", `take_${seed}.h5`);
    await generateEpisode(session.episodes[0] as (typeof session.episodes)[number], path);
    generated.push(path);
  }
  for (const kind of kinds) {
    const sources = generated.map((gen, i) => {
      const out = join(work, kind, `episode_00${i}.h5`);
      mkdirSync(join(work, kind), { recursive: true });
      const script =
        kind === "clean"
          ? [join(root, "test/tools/write_recorder_episode.py"), gen, out, "blosc"]
          : [join(root, "bench/realisticTake.py"), gen, out, String(7 + i)];
      execOrThrow(PYTHON, script);
      return out;
    });
    const [one] = sources as [string, string];
    const sourceMb = statSync(one).size / 1e6;
    const ours: Run[] = [];
    const theirs: Run[] = [];
    let oursBytes = 0;
    let theirsBytes = 0;
    for (let r = 0; r < runs; r++) {
      const [mine] = fresh("ours", [one]) as [string];
      ours.push(timed(rigwatch([mine], 1)));
      oursBytes = statSync(mine).size;
      const [copy] = fresh("theirs", [one]) as [string];
      theirs.push(timed(h5pyCopy(copy)));
      theirsBytes = statSync(`${copy}.h5py.h5`).size;
      console.log(
        `${kind} run ${r + 1}: rigwatch ${ours.at(-1)?.wall.toFixed(1)} s (cpu ${ours.at(-1)?.cpu.toFixed(1)}) | h5py ${theirs.at(-1)?.wall.toFixed(1)} s (cpu ${theirs.at(-1)?.cpu.toFixed(1)})`,
      );
    }
    const repack = values["no-h5repack"]
      ? undefined
      : (() => {
          const [file] = fresh("repack", [one]) as [string];
          const run = timed(["h5repack", "-f", "SHUF", "-f", "GZIP=4", file, `${file}.repacked.h5`], {
            ...process.env,
            HDF5_PLUGIN_PATH: PLUGINS,
          });
          return { run, bytes: statSync(`${file}.repacked.h5`).size };
        })();
    const pairOurs = timed(rigwatch(fresh("pair-ours", sources), 2));
    const pairTheirs = await timedTogether(fresh("pair-theirs", sources).map(h5pyCopy));

    const o: Run = {
      wall: median(ours.map((r) => r.wall)),
      cpu: median(ours.map((r) => r.cpu)),
      rssMb: median(ours.map((r) => r.rssMb)),
    };
    const t: Run = {
      wall: median(theirs.map((r) => r.wall)),
      cpu: median(theirs.map((r) => r.cpu)),
      rssMb: median(theirs.map((r) => r.rssMb)),
    };
    console.log(
      `\n${kind}: ${sourceMb.toFixed(1)} MB BLOSC source per take (load now ${loadavg()[0]?.toFixed(1)})`,
    );
    console.log(
      `${"".padEnd(34)} ${"wall s".padStart(7)} ${"cpu s".padStart(7)} ${"MB/s wall".padStart(9)} ${"out MB".padStart(9)} ${"RSS MB".padStart(8)}`,
    );
    console.log(row("rigwatch compress --jobs 1", o, sourceMb, mb(oursBytes)));
    console.log(row("h5py chunk-wise SHUF+GZIP=4", t, sourceMb, mb(theirsBytes)));
    if (repack)
      console.log(row("h5repack -f SHUF -f GZIP=4 (1 run)", repack.run, sourceMb, mb(repack.bytes)));
    console.log(row("rigwatch --jobs 2, two takes", pairOurs, 2 * sourceMb, ""));
    console.log(row("two h5py copies side by side", pairTheirs, 2 * sourceMb, ""));
    console.log(`speed vs h5py, wall (one file):        ${(t.wall / o.wall).toFixed(2)}×`);
    console.log(`speed vs h5py, per core (CPU seconds): ${(t.cpu / o.cpu).toFixed(2)}× (target ≥ 1)`);
    console.log(`speed vs h5py, two takes (wall):       ${(pairTheirs.wall / pairOurs.wall).toFixed(2)}×`);
    if (repack)
      console.log(`speed vs h5repack, wall (one file):    ${(repack.run.wall / o.wall).toFixed(2)}×`);
    console.log(`size vs h5py: ${(oursBytes / theirsBytes).toFixed(3)}× (target ≤ 1.05)\n`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

function execOrThrow(bin: string, args: string[]): void {
  const run = spawnSync(bin, args, { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`${bin} ${args.join(" ")} failed: ${run.stderr}`);
}
