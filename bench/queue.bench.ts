/**
 * The chain through the queue (issue 13): a generated session of full-resolution takes through
 * `process --queue` with 1, 2 and 4 `rigwatch worker` processes (--jobs 1 each), beside the local
 * `process --jobs N` with the same number of threads, each as a multiple of real time (seconds
 * recorded / wall seconds); then the queue's overhead per job: an empty BullMQ job's round trip
 * (add → a worker runs a no-op → completed, one at a time) and the whole chain enqueued again once
 * done (every job finds its work done: flows, locks, stages.json reads, no stage work), per job.
 *
 *   npm run build && node --import tsx bench/queue.bench.ts [--takes 8] [--seconds 3] [--workers 1,2,4]
 *                                                           [--noise clean|realistic] [--empty 200]
 *
 * Redis is Debian's redis-server on a free port with a temp folder, started here. Workers are
 * started and ready before the clock starts (their start-up is not the chain's). Each run works on a
 * fresh copy of the session. Targets: 2 workers ≥ 1.8× one worker on two cores; < 50 ms per job.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Queue, QueueEvents, Worker } from "bullmq";
import { Redis } from "ioredis";
import { generateEpisode } from "../sim/episode/generate.js";
import { presetSession } from "../sim/episode/presets.js";
import type { Scenario } from "../sim/episode/scenario.js";
import type { SensorNoise } from "../sim/episode/sensorNoise.js";
import { freePort } from "../test/helpers/freePort.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const cli = join(root, "dist/cli/cli.js");
const { values } = parseArgs({
  options: {
    takes: { type: "string", default: "8" },
    seconds: { type: "string", default: "3" },
    workers: { type: "string", default: "1,2,4" },
    empty: { type: "string", default: "200" },
    noise: { type: "string", default: "clean" },
  },
});
const takes = Number(values.takes);
const seconds = Number(values.seconds);
const counts = (values.workers as string).split(",").map(Number);

async function startRedis(dir: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "no"],
    { stdio: "ignore" },
  );
  const client = new Redis(port, "127.0.0.1", { maxRetriesPerRequest: null, retryStrategy: () => 20 });
  client.on("error", () => undefined); // refused until the server listens: retried
  await client.ping();
  client.disconnect();
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** A `rigwatch worker --json` process, resolved once it says it is ready. */
async function startWorker(url: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [cli, "worker", "--queue", url, "--jobs", "1", "--json"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += String(chunk);
      if (out.includes('"type":"ready"')) resolve();
    });
    child.once("exit", (code) => reject(new Error(`worker exited ${code}`)));
  });
  child.stdout?.resume();
  return child;
}

async function stopWorkers(workers: readonly ChildProcess[]): Promise<void> {
  await Promise.all(
    workers.map(async (w) => {
      const exited = once(w, "exit");
      w.kill("SIGTERM");
      await exited;
    }),
  );
}

/** Runs the CLI to its end: seconds of wall time, and from its first line of output to its end. */
async function timed(
  args: readonly string[],
): Promise<{ wall: number; afterFirstLine: number; stdout: string }> {
  const started = performance.now();
  let firstLine: number | undefined;
  const child = spawn(process.execPath, [cli, ...args]);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => {
    firstLine ??= performance.now();
    stdout += String(c);
  });
  child.stderr.on("data", (c: Buffer) => (stderr += String(c)));
  const [code] = (await once(child, "exit")) as [number | null];
  if (code !== 0) throw new Error(`rigwatch ${args.join(" ")} exited ${code}: ${stderr.slice(-2000)}`);
  const ended = performance.now();
  return { wall: (ended - started) / 1000, afterFirstLine: (ended - (firstLine ?? started)) / 1000, stdout };
}

/** add → a no-op worker → completed, one job at a time, in this process: ms per job. */
async function emptyRoundTrip(url: string, n: number): Promise<number> {
  const connection = new Redis(url, { maxRetriesPerRequest: null });
  const queue = new Queue("bench-empty", { connection });
  const eventsConnection = new Redis(url, { maxRetriesPerRequest: null });
  const events = new QueueEvents("bench-empty", { connection: eventsConnection });
  const worker = new Worker("bench-empty", async () => "ok", { connection });
  await Promise.all([events.waitUntilReady(), worker.waitUntilReady()]);
  for (let i = 0; i < 10; i++) await (await queue.add("warm", {})).waitUntilFinished(events);
  const started = performance.now();
  for (let i = 0; i < n; i++) await (await queue.add("empty", { i })).waitUntilFinished(events);
  const ms = (performance.now() - started) / n;
  await worker.close();
  await events.close();
  await queue.close();
  connection.disconnect();
  eventsConnection.disconnect();
  return ms;
}

const work = mkdtempSync(join(tmpdir(), "rigwatch-queue-bench-"));
console.log(
  `machine: ${cpus()[0]?.model} × ${cpus().length}, node ${process.version}, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);
const redis = await startRedis(work);
try {
  // Clean takes (any length); --noise realistic gives them the rig's sensor noise (compress works as
  // hard as on real takes: ~10× slower than on the clean frames, too slow for a routine run).
  const base = presetSession("clean", { seconds, noise: values.noise as SensorNoise });
  const template = base.episodes[0] as Scenario;
  const session = {
    ...base,
    episodes: Array.from({ length: takes }, (_, i) => ({
      ...template,
      seed: 100 + i,
      createdAt: `2026-05-31T06:${String(i).padStart(2, "0")}:00`,
    })),
  };
  const source = join(work, "source");
  const dateDir = (base: string) => join(base, "data", session.task, session.date);
  for (const [i, scenario] of session.episodes.entries())
    await generateEpisode(scenario, join(dateDir(source), `episode_${String(i).padStart(3, "0")}.h5`));
  const bytes = readdirSync(dateDir(source)).reduce((n, f) => n + statSync(join(dateDir(source), f)).size, 0);
  const recorded = takes * seconds;
  console.log(
    `${takes} takes × ${seconds} s (${values.noise} noise) = ${recorded} s recorded, ${(bytes / 1e9).toFixed(2)} GB BLOSC`,
  );

  const local: Record<number, number> = {};
  const queued: Record<number, number> = {};
  let rerun: { wall: number; jobs: number } | undefined;
  for (const n of counts) {
    const copy = join(work, `local${n}`);
    cpSync(source, copy, { recursive: true });
    local[n] = (await timed(["process", "--jobs", String(n), dateDir(copy)])).wall;
    rmSync(copy, { recursive: true, force: true });
    console.log(
      `process --jobs ${n}: ${(local[n] as number).toFixed(1)} s (${(recorded / (local[n] as number)).toFixed(2)}× real time)`,
    );

    const qcopy = join(work, `queue${n}`);
    cpSync(source, qcopy, { recursive: true });
    const workers = await Promise.all(Array.from({ length: n }, () => startWorker(redis.url)));
    try {
      queued[n] = (await timed(["process", dateDir(qcopy), "--queue", redis.url, "--follow", "--json"])).wall;
      console.log(
        `queue, ${n} worker${n === 1 ? "" : "s"}: ${(queued[n] as number).toFixed(1)} s (${(recorded / (queued[n] as number)).toFixed(2)}× real time, ` +
          `${((local[n] as number) / (queued[n] as number)).toFixed(2)}× the local process's speed)`,
      );
      if (rerun === undefined) {
        const again = await timed(["process", dateDir(qcopy), "--queue", redis.url, "--follow", "--json"]);
        const jobs = again.stdout.split("\n").filter((l) => l.includes('"type":"job"')).length;
        rerun = { wall: again.afterFirstLine, jobs };
      }
    } finally {
      await stopWorkers(workers);
      rmSync(qcopy, { recursive: true, force: true });
    }
  }
  if (queued[1] !== undefined && queued[2] !== undefined)
    console.log(
      `queue: 2 workers vs 1: ${((queued[1] as number) / (queued[2] as number)).toFixed(2)}× faster`,
    );
  if (queued[1] !== undefined && queued[4] !== undefined)
    console.log(
      `queue: 4 workers vs 1: ${((queued[1] as number) / (queued[4] as number)).toFixed(2)}× faster`,
    );
  const empty = await emptyRoundTrip(redis.url, Number(values.empty));
  console.log(`overhead: an empty BullMQ job's round trip ${empty.toFixed(2)} ms`);
  if (rerun)
    console.log(
      `overhead: the finished chain enqueued again (every job skips): ${rerun.jobs} jobs in ${rerun.wall.toFixed(2)} s, ` +
        `${((rerun.wall * 1000) / rerun.jobs).toFixed(1)} ms per job (one worker; from the run queued to its end)`,
    );
} finally {
  await redis.stop();
  rmSync(work, { recursive: true, force: true });
}
