/**
 * Live OT alarm latency (issues 3 and 15): simulated Motive and the simulated recorder's tap (a scene
 * that moves, 30 Hz thumbnails of 3 cameras and 2 GelSights) → `rigwatch run` (a separate process) →
 * WebSocket client, on loopback. The simulators run in this process and record the wall time they sent
 * each fault's first faulty frame; the WebSocket client records when the alarm arrived. Also the
 * daemon's CPU time over the run (from /proc), as a share of one core.
 *
 * Per cycle: the valid bit cleared, silence, a pose held while the scene moves (critical at the hold's
 * 0.25 s), a teleport, and a rest (the body and the scene still: a `held` warning, never a critical).
 *
 *   npm run build && node --import tsx bench/natnet-latency.bench.ts [--rates 120,240] [--cycles 13]
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { WebSocket } from "ws";
import { type FaultSpec, startSimulator } from "../sim/motive/index.js";
import { type TapFault, TapSimulator } from "../sim/recorder/TapSimulator.js";
import { freePort } from "../test/helpers/freePort.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const { values } = parseArgs({
  options: { rates: { type: "string", default: "120,240" }, cycles: { type: "string", default: "13" } },
});
const LEFT = 2;
const RIGHT = 3;
const KINDS = [
  {
    fault: "trackingLost",
    body: LEFT,
    durationS: 0.3,
    label: "valid bit cleared",
    subject: "sensor_left",
    kind: "ot_loss",
  },
  { fault: "silence", durationS: 0.3, label: "silence", subject: undefined, kind: "ot_loss" },
  {
    fault: "heldPose",
    body: RIGHT,
    durationS: 0.5,
    label: "held pose",
    subject: "sensor_right",
    kind: "ot_loss",
  },
  { fault: "teleport", body: LEFT, label: "teleport", subject: "sensor_left", kind: "teleport" },
  {
    fault: "rest",
    body: RIGHT,
    durationS: 0.8,
    label: "rest (warning)",
    subject: "sensor_right",
    kind: "held",
  },
] as const;
/** Seconds between the faults of a cycle; the rest is the last, so nothing else falls in its scene. */
const SPACING_S = 1.2;
const CYCLE_S = KINDS.length * SPACING_S;

/** The daemon journals every alarm (committed before /ws hears of it): in a folder of its own here. */
const state = mkdtempSync(join(tmpdir(), "rigwatch-latency-"));

const cpuSeconds = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, clock ticks (USER_HZ = 100)
};
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] as number;
};

console.log(`machine: ${cpus()[0]?.model} × ${cpus().length}, node ${process.version}`);
console.log("rate    fault               n   p50 ms   p99 ms   max ms   missed   daemon CPU");
for (const rateHz of (values.rates as string).split(",").map(Number)) {
  const faults: FaultSpec[] = [];
  const sceneStill: TapFault[] = [];
  const cycles = Number(values.cycles);
  for (let c = 0; c < cycles; c++) {
    KINDS.forEach((k, i) => {
      const at = 2 + c * CYCLE_S + i * SPACING_S;
      faults.push({
        at,
        fault: k.fault,
        ...("body" in k ? { body: k.body } : {}),
        ...("durationS" in k ? { durationS: k.durationS } : {}),
      });
      // A rest stills the whole scene with the body. The simulators count from their own starts, a
      // few ms apart: the scene is still from a little before the rest to a little after it.
      if (k.fault === "rest")
        sceneStill.push({ fault: "sceneStill", at: at - 0.1, durationS: k.durationS + 0.3 });
    });
  }
  const tap = await TapSimulator.start({
    endpoint: `tcp://127.0.0.1:${await freePort()}`,
    faults: sceneStill,
  });
  const motive = await startSimulator({ commandPort: 0, version: "4.1", rateHz, faults });
  const daemon = spawn(
    process.execPath,
    [
      join(root, "dist/cli/cli.js"),
      "run",
      "--natnet-command-port",
      String(motive.port),
      "--tap",
      tap.endpoint,
      "--tap-alarms",
      `tcp://127.0.0.1:${await freePort()}`,
      "--port",
      "0",
      "--set",
      `journal.file=${join(state, `alarms-${rateHz}.sqlite`)}`,
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
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
  const received: { at: number; kind: string; subject: string; state: string; severity: string }[] = [];
  ws.on("message", (d) => {
    const m = JSON.parse(String(d));
    if (m.type === "alarm")
      received.push({
        at: performance.now(),
        kind: m.kind,
        subject: m.subject,
        state: m.state,
        severity: m.severity,
      });
  });
  await new Promise((r) => ws.once("open", r));
  const cpu0 = cpuSeconds(daemon.pid as number);
  const wall0 = performance.now();
  const end = 2 + cycles * CYCLE_S + 1;
  await new Promise((r) => setTimeout(r, end * 1000));
  const cpu = (cpuSeconds(daemon.pid as number) - cpu0) / ((performance.now() - wall0) / 1000);
  const injected = motive.injected;
  let restCriticals = 0;
  for (const k of KINDS) {
    const latencies: number[] = [];
    let missed = 0;
    for (const fault of injected.filter((f) => f.fault === k.fault)) {
      const alarm = received.find(
        (a) =>
          a.state === "raised" &&
          a.kind === k.kind &&
          (k.subject === undefined || a.subject === k.subject) &&
          a.at >= fault.wallSentAt &&
          a.at < fault.wallSentAt + 1000,
      );
      if (alarm) latencies.push(alarm.at - fault.wallSentAt);
      else missed++;
      // What sounded for the rest: a critical alarm on its body while it lasted is a nuisance.
      if (k.fault === "rest")
        restCriticals += received.filter(
          (a) =>
            a.state === "raised" &&
            a.severity === "critical" &&
            a.subject === k.subject &&
            a.at >= fault.wallSentAt &&
            a.at < fault.wallSentAt + (k.durationS + 0.5) * 1000,
        ).length;
    }
    console.log(
      `${String(rateHz).padEnd(8)}${k.label.padEnd(18)}${String(latencies.length).padStart(3)}${percentile(latencies, 50).toFixed(1).padStart(9)}${percentile(latencies, 99).toFixed(1).padStart(9)}${Math.max(
        ...latencies,
      )
        .toFixed(1)
        .padStart(9)}${String(missed).padStart(9)}   ${(100 * cpu).toFixed(1)} % of a core`,
    );
  }
  console.log(`${String(rateHz).padEnd(8)}rests: ${restCriticals} critical alarm(s) while the body rested`);
  ws.close();
  daemon.kill("SIGTERM");
  await new Promise((r) => daemon.once("exit", r));
  await motive.close();
  await tap.close();
}
rmSync(state, { recursive: true, force: true });
