/**
 * The daemon at the rig's full rate (issue 4): the recorder's Python module publishing 3 colour and
 * 2 GelSight frames of 480×640 at 30 Hz through the tap (bench/tapRecorder.py, a separate process),
 * the simulated Motive streaming 3 bodies at 240 Hz (this process), `rigwatch run` as a third process.
 * Measures the daemon's CPU (from /proc), the stall and flicker alarm latency (wall time the fault's
 * first frame was handed to tick() → alarm on /ws) and the module's cost per tick.
 *
 *   npm run build && node --import tsx bench/tap.bench.ts [--seconds 60] [--runs 3]
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { WebSocket } from "ws";
import { startSimulator } from "../sim/motive/index.js";
import { freePort } from "../test/helpers/freePort.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const { values } = parseArgs({
  options: { seconds: { type: "string", default: "60" }, runs: { type: "string", default: "3" } },
});

const cpuSeconds = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
};
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] as number;
};
const median = (xs: number[]) => percentile(xs, 50);

interface RunResult {
  cpuPct: number;
  stall: number[];
  flicker: number[];
  missed: number;
  spurious: number;
  loopP50: number;
  loopP99: number;
  workerP50: number;
  dropped: number;
}

async function once(seconds: number): Promise<RunResult> {
  const motive = await startSimulator({ commandPort: 0, version: "4.1", rateHz: 240 });
  const tap = `tcp://127.0.0.1:${await freePort()}`;
  const alarms = `tcp://127.0.0.1:${await freePort()}`;
  // BENCH_NODE_ARGS: e.g. "--cpu-prof --cpu-prof-dir=prof" to profile the daemon.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const daemon = spawn(
    process.execPath,
    [
      ...nodeArgs,
      join(root, "dist/cli/cli.js"),
      "run",
      "--natnet-command-port",
      String(motive.port),
      "--port",
      "0",
      "--tap",
      tap,
      "--tap-alarms",
      alarms,
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  const port: number = await new Promise((resolve) => {
    let buffer = "";
    daemon.stderr.on("data", (d) => {
      buffer += String(d);
      const match = /"port":(\d+),"natnet"/.exec(buffer);
      if (match) resolve(Number(match[1]));
    });
  });
  const received: { kind: string; subject: string; at: number }[] = [];
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
  ws.on("message", (data) => {
    const at = Date.now() / 1000;
    const m = JSON.parse(String(data)) as { type: string; kind: string; state: string; subject: string };
    if (m.type === "alarm" && m.state === "raised") received.push({ kind: m.kind, subject: m.subject, at });
  });
  await new Promise((r) => ws.once("open", r));

  const recorder = spawn("/usr/bin/python3", [
    join(root, "bench/tapRecorder.py"),
    join(root, "hw/tap/python"),
    tap,
    alarms,
    String(seconds),
  ]);
  const faults: { fault: string; wall: number }[] = [];
  let summary: Record<string, number> = {};
  let out = "";
  recorder.stdout.on("data", (d) => {
    out += String(d);
    const lines = out.split("\n");
    out = lines.pop() ?? "";
    for (const line of lines) {
      const j = JSON.parse(line) as Record<string, number> & { fault?: string; summary?: boolean };
      if (j.summary) summary = j;
      else faults.push({ fault: j.fault as string, wall: j.wall as number });
    }
  });
  await new Promise((r) => setTimeout(r, 3000)); // warm-up: take started, detectors settled
  const cpu0 = cpuSeconds(daemon.pid as number);
  const t0 = performance.now();
  await new Promise((r) => recorder.once("exit", r));
  const cpuPct = ((cpuSeconds(daemon.pid as number) - cpu0) / ((performance.now() - t0) / 1000)) * 100;
  await new Promise((r) => setTimeout(r, 500));

  const latency = (fault: string, kind: string, subject: string) =>
    faults
      .filter((f) => f.fault === fault)
      .map((f) =>
        received.find((a) => a.kind === kind && a.subject === subject && a.at >= f.wall && a.at < f.wall + 3),
      )
      .map((a, i) =>
        a
          ? (a.at - (faults.filter((f) => f.fault === fault)[i] as { wall: number }).wall) * 1000
          : Number.NaN,
      );
  const stall = latency("stall", "pipeline_stall", "realsense");
  const flicker = latency("flicker", "intensity_spike", "gel_left");
  const spurious = received.filter(
    (a) =>
      !["pipeline_stall", "intensity_spike"].includes(a.kind) ||
      !["realsense", "gel_left"].includes(a.subject),
  ).length;
  ws.close();
  daemon.kill("SIGTERM");
  await new Promise((r) => daemon.once("exit", r));
  await motive.close();
  return {
    cpuPct,
    stall: stall.filter(Number.isFinite),
    flicker: flicker.filter(Number.isFinite),
    missed: [...stall, ...flicker].filter((x) => !Number.isFinite(x)).length,
    spurious,
    loopP50: summary.loop_ms_p50 as number,
    loopP99: summary.loop_ms_p99 as number,
    workerP50: summary.worker_ms_p50 as number,
    dropped: summary.dropped as number,
  };
}

const seconds = Number(values.seconds);
const runs = Number(values.runs);
console.log(`machine: ${cpus()[0]?.model} × ${cpus().length}, node ${process.version}`);
console.log(
  `${runs} runs × ${seconds} s: 3 cameras + 2 GelSight 480×640 at 30 Hz through the tap, OT 3 bodies at 240 Hz`,
);
const results: RunResult[] = [];
for (let r = 0; r < runs; r++) {
  const result = await once(seconds);
  results.push(result);
  console.log(
    `run ${r + 1}: daemon CPU ${result.cpuPct.toFixed(1)} %, stall p99 ${percentile(result.stall, 99).toFixed(0)} ms, flicker p99 ${percentile(result.flicker, 99).toFixed(0)} ms, missed ${result.missed}, spurious ${result.spurious}, module tick() p50 ${result.loopP50.toFixed(3)} ms / p99 ${result.loopP99.toFixed(3)} ms, worker p50 ${result.workerP50.toFixed(2)} ms, dropped ${result.dropped}`,
  );
}
const all = (pick: (r: RunResult) => number[]) => results.flatMap(pick);
console.log("\nsummary (latencies pooled over runs; CPU and module costs: median of runs)");
console.log(`daemon CPU: ${median(results.map((r) => r.cpuPct)).toFixed(1)} % of one core (target ≤ 10 %)`);
for (const [label, xs, target] of [
  ["stall latency", all((r) => r.stall), "≤ 1100"],
  ["flicker latency", all((r) => r.flicker), "≤ 100"],
] as const)
  console.log(
    `${label}: n ${xs.length}, p50 ${percentile(xs, 50).toFixed(0)} ms, p99 ${percentile(xs, 99).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms (target p99 ${target})`,
  );
console.log(
  `missed ${results.reduce((s, r) => s + r.missed, 0)}, spurious alarms ${results.reduce((s, r) => s + r.spurious, 0)}`,
);
console.log(
  `module per tick on the recorder's loop: p50 ${median(results.map((r) => r.loopP50)).toFixed(3)} ms, p99 ${median(results.map((r) => r.loopP99)).toFixed(3)} ms (target ≤ 2); worker thread (hash + 5 thumbnails + send) p50 ${median(results.map((r) => r.workerP50)).toFixed(2)} ms; dropped ${results.reduce((s, r) => s + r.dropped, 0)}`,
);
