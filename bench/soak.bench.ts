/**
 * Soak (issue 11): `rigwatch run` (a separate process) for a long time at the rig's full rate: the
 * simulated Motive streaming 3 bodies at 240 Hz (this process) with 1 % garbage datagrams, the
 * simulated recorder ticking 3 cameras + 2 GelSights at 30 Hz through the tap, takes back to back.
 * A fault every few seconds (tracking lost, held pose, teleport, silence; LED flicker, a frozen
 * camera, a pipeline stall, an unplugged GelSight), a Motive restart and a recorder restart every
 * 5 minutes, page clients connecting and leaving all along. Checks that every injected fault was
 * alarmed and that no alarm came without a fault; measures the daemon's RSS (growth from minute 5 to
 * the end) and CPU (share of one core, from /proc).
 *
 *   npm run build && nice node --import tsx bench/soak.bench.ts [--minutes 30] [--seed 11] [--cpu-prof DIR]
 *
 * `--cpu-prof DIR` has the daemon write a V8 CPU profile there when it stops (where its CPU goes).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { WebSocket } from "ws";
import { type FaultSpec, startSimulator } from "../sim/motive/index.js";
import { type SimTake, type TapFault, TapSimulator } from "../sim/recorder/TapSimulator.js";
import { freePort } from "../test/helpers/freePort.js";
import { mulberry32 } from "../sim/episode/prng.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const { values } = parseArgs({
  options: {
    minutes: { type: "string", default: "30" },
    seed: { type: "string", default: "11" },
    "cpu-prof": { type: "string" },
    "node-flags": { type: "string", default: "" },
  },
});
const minutes = Number(values.minutes);
const totalS = minutes * 60;
const SEGMENT_S = 300; // a recorder restart at every segment's start, a Motive restart in its middle
/** The recorder is away this long at each restart: its clock (takes, faults) starts that much later. */
const RECORDER_RESTART_S = 3;
const RATE_HZ = 240;
const BODIES: Record<number, string> = { 1: "motherboard", 2: "sensor_left", 3: "sensor_right" };

/** Seeded: the same schedule and page clients for the same seed. */
const random = mulberry32(Number(values.seed));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
const procStat = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return {
    cpuS: (Number(fields[11]) + Number(fields[12])) / 100,
    rssMB: (Number(fields[21]) * 4096) / 2 ** 20,
  };
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- the schedule ----
/** What an injected fault must raise: kind and subject (undefined subject: every body). */
interface Expectation {
  readonly kind: string;
  readonly subjects: readonly string[];
  /** A warning the fault may raise before its alarm (a held pose is `held` until the evidence speaks). */
  readonly warning?: string;
}
const motiveFaults: FaultSpec[] = [];
for (let at = 3; at < totalS - 5; at += 0.42) motiveFaults.push({ fault: "garbage", at, count: 1 });
// Faults every 4 s, Motive and recorder in turn, clear of the restarts (±8 s).
const tapPlan: { segment: number; fault: TapFault }[] = [];
const takesPerSegment: SimTake[][] = [];
for (let segment = 0; segment * SEGMENT_S < totalS; segment++) {
  const t0 = segment * SEGMENT_S;
  // The recorder of segments after the first starts RECORDER_RESTART_S late: its takes and faults are
  // planned that much earlier on its own clock, so that they keep their place between Motive's faults.
  const tapClock = segment === 0 ? 0 : RECORDER_RESTART_S;
  // Takes: 50 s each with 8 s between, inside the segment (the recorder restarts between takes).
  const takes: SimTake[] = [];
  for (let k = 0; k < 5; k++) takes.push({ at: 4 + k * 58, durationS: 50, episode: segment * 10 + k });
  takesPerSegment.push(takes.map((k) => ({ ...k, at: k.at - tapClock })));
  motiveFaults.push({ fault: "serverRestart", at: t0 + SEGMENT_S / 2, durationS: 2 });
  for (let s = 10; s < SEGMENT_S - 8; s += 4) {
    const at = t0 + s;
    if (at > totalS - 8 || Math.abs(s - SEGMENT_S / 2) < 10) continue;
    const inTake = takes.find((k) => s >= k.at + 4 && s <= k.at + k.durationS - 5);
    if ((s / 4) % 2 === 0 || !inTake) {
      const body = pick([1, 2, 3]);
      const fault = pick(["trackingLost", "heldPose", "teleport", "silence"] as const);
      motiveFaults.push(
        fault === "teleport"
          ? { fault, at, body }
          : { fault, at, body, durationS: fault === "heldPose" ? 1 : 0.5 },
      );
    } else {
      const tapAt = s - tapClock;
      const fault = pick([
        { fault: "ledFlicker", at: tapAt, side: "left" },
        { fault: "cameraFrozen", at: tapAt, durationS: 2, stream: pick(["cam0", "cam1", "cam2"]) },
        { fault: "camerasStalled", at: tapAt, durationS: 1.5 },
        { fault: "gelUnplugged", at: tapAt, durationS: 2, side: pick(["left", "right"] as const) },
      ] as TapFault[]);
      tapPlan.push({ segment, fault });
    }
  }
}
function expected(
  fault: string,
  detail: { body?: number; stream?: string; side?: string },
): Expectation | undefined {
  const body = BODIES[detail.body ?? 1] as string;
  switch (fault) {
    case "trackingLost":
      return { kind: "ot_loss", subjects: [body] };
    case "heldPose":
      return { kind: "ot_loss", subjects: [body], warning: "held" };
    case "teleport":
      return { kind: "teleport", subjects: [body] };
    case "silence":
      return { kind: "ot_loss", subjects: Object.values(BODIES) };
    case "ledFlicker":
      return { kind: "intensity_spike", subjects: [`gel_${detail.side}`] };
    case "cameraFrozen":
      return { kind: "stream_stale", subjects: [detail.stream as string] };
    case "camerasStalled":
      return { kind: "pipeline_stall", subjects: ["realsense"] };
    case "gelUnplugged":
      return { kind: "stream_stale", subjects: [`gel_${detail.side}`] };
    default:
      return undefined;
  }
}

// ---- the run ----
const state = mkdtempSync(join(tmpdir(), "rigwatch-soak-"));
const motive = await startSimulator({
  commandPort: 0,
  version: "4.1",
  rateHz: RATE_HZ,
  faults: motiveFaults,
});
const tapEndpoint = `tcp://127.0.0.1:${await freePort()}`;
const alarmEndpoint = `tcp://127.0.0.1:${await freePort()}`;
const daemon = spawn(
  process.execPath,
  [
    ...(values["cpu-prof"] === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${values["cpu-prof"]}`]),
    ...values["node-flags"].split(" ").filter((f) => f !== ""),
    join(root, "dist/cli/cli.js"),
    "run",
    "--natnet-command-port",
    String(motive.port),
    "--port",
    "0",
    "--tap",
    tapEndpoint,
    "--tap-alarms",
    alarmEndpoint,
    "--set",
    "stages.auto=false",
    "--set",
    `journal.file=${join(state, "alarms.sqlite")}`,
  ],
  { stdio: ["ignore", "ignore", "pipe"] },
);
let daemonExit: number | null | undefined;
daemon.once("exit", (code) => (daemonExit = code));
const port: number = await new Promise((resolve) => {
  let buffer = "";
  daemon.stderr.on("data", (d) => {
    buffer += String(d);
    const match = /"port":(\d+),"natnet"/.exec(buffer);
    if (match) resolve(Number(match[1]));
    if (buffer.length > 1e6) buffer = buffer.slice(-1e5);
  });
});
const startedAt = performance.now();
/**
 * The simulators run on this thread: when the machine is loaded and it stalls, Motive's frames stop
 * for real (the daemon rightly alarms on that silence). Such stalls are recorded as faults of their
 * own, so the verdict can tell them from the scheduled ones.
 */
const stalls: { from: number; to: number }[] = [];
let lastBeat = performance.now();
const beat = setInterval(() => {
  const now = performance.now();
  if (now - lastBeat > 80) stalls.push({ from: lastBeat, to: now });
  lastBeat = now;
}, 5);
const received: { kind: string; subject: string; at: number; detail?: unknown }[] = [];
const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
ws.on("message", (data) => {
  const at = performance.now();
  const m = JSON.parse(String(data)) as {
    type: string;
    kind: string;
    state: string;
    subject: string;
    detail: unknown;
  };
  if (m.type === "alarm" && m.state === "raised")
    received.push({ kind: m.kind, subject: m.subject, at, detail: m.detail });
});
await new Promise((r) => ws.once("open", r));

/** Restarts and faults on the tap side, with their wall time (performance.now). */
const tapEvents: {
  fault: string;
  detail: { stream?: string; side?: string };
  wall: number;
  durationS: number;
}[] = [];
const restarts: { source: "motive" | "recorder"; from: number; to: number }[] = [];
let tap = await TapSimulator.start({
  endpoint: tapEndpoint,
  alarmEndpoint,
  takes: takesPerSegment[0] ?? [],
  faults: tapPlan.filter((p) => p.segment === 0).map((p) => p.fault),
});
const collectTap = (sim: TapSimulator, segment: number) => {
  const planned = tapPlan.filter((p) => p.segment === segment).map((p) => p.fault);
  for (const f of sim.injected) {
    const spec = planned.find(
      (p) => p.fault === f.fault && Math.abs(p.at * 1000 - (f.wallSentAt - segmentStart)) < 2000,
    );
    if (!spec) continue;
    tapEvents.push({
      fault: f.fault,
      detail: {
        ...("stream" in spec ? { stream: spec.stream } : {}),
        ...("side" in spec ? { side: spec.side } : {}),
      },
      wall: f.wallSentAt,
      durationS: "durationS" in spec ? spec.durationS : 0,
    });
  }
};
let segmentStart = performance.now();

// Page clients come and go: every 2 s one connects or one leaves (0–6 at a time).
const pages: WebSocket[] = [];
let pageVisits = 0;
const pageTimer = setInterval(() => {
  if (pages.length > 0 && (pages.length >= 6 || random() < 0.5)) {
    pages.splice(Math.floor(random() * pages.length), 1)[0]?.terminate();
  } else {
    const page = new WebSocket(`ws://127.0.0.1:${port}/ws`);
    page.on("error", () => undefined);
    page.on("message", () => undefined);
    pages.push(page);
    pageVisits++;
  }
}, 2000);

const samples: { minute: number; rssMB: number; cpuS: number }[] = [];
const sampleTimer = setInterval(() => {
  if (daemonExit !== undefined) return;
  const { rssMB, cpuS } = procStat(daemon.pid as number);
  samples.push({ minute: (performance.now() - startedAt) / 60_000, rssMB, cpuS });
}, 10_000);

console.log(`machine: ${cpus()[0]?.model} × ${cpus().length}, node ${process.version}`);
console.log(
  `soak: ${minutes} min, Motive ${RATE_HZ} Hz × 3 bodies (1 % garbage), tap 30 Hz × 5 streams, seed ${values.seed}`,
);
for (let segment = 1; segment * SEGMENT_S < totalS && daemonExit === undefined; segment++) {
  await sleep(segment * SEGMENT_S * 1000 - (performance.now() - startedAt));
  // The recorder restarts between takes: its tap socket goes away for 3 s and comes back new.
  collectTap(tap, segment - 1);
  const from = performance.now();
  await tap.close();
  await sleep(3000);
  segmentStart = performance.now();
  tap = await TapSimulator.start({
    endpoint: tapEndpoint,
    alarmEndpoint,
    takes: takesPerSegment[segment] ?? [],
    faults: tapPlan.filter((p) => p.segment === segment).map((p) => p.fault),
  });
  restarts.push({ source: "recorder", from, to: performance.now() });
  console.log(
    `minute ${((performance.now() - startedAt) / 60_000).toFixed(1)}: recorder restarted; ${received.length} alarms so far`,
  );
}
await sleep(Math.max(0, totalS * 1000 - (performance.now() - startedAt)));
collectTap(tap, Math.floor(totalS / SEGMENT_S - 1e-9));
await sleep(3000); // the last alarms in
clearInterval(pageTimer);
clearInterval(sampleTimer);
clearInterval(beat);
for (const p of pages) p.terminate();

// ---- the verdict ----
interface Injected {
  readonly source: string;
  readonly fault: string;
  readonly wall: number;
  readonly durationS: number;
  readonly expect: Expectation | undefined;
}
const injected: Injected[] = [
  ...motive.injected.map((f) => ({
    source: "motive",
    fault: f.fault,
    wall: f.wallSentAt,
    durationS:
      motiveFaults.find((s) => s.fault === f.fault && Math.abs(s.at - f.startTimeS) < 0.01)?.durationS ?? 0.5,
    expect: expected(f.fault, { ...(f.body === undefined ? {} : { body: f.body }) }),
  })),
  ...tapEvents.map((f) => ({
    source: "tap",
    fault: f.fault,
    wall: f.wall,
    durationS: f.durationS,
    expect: expected(f.fault, f.detail),
  })),
];
const WINDOW_MS = 3000;
const missed: Injected[] = [];
const latencies = new Map<string, number[]>();
for (const f of injected.filter((i) => i.expect)) {
  const e = f.expect as Expectation;
  const found = e.subjects.map((subject) =>
    received.find(
      (a) =>
        a.kind === e.kind &&
        a.subject === subject &&
        a.at >= f.wall - 50 &&
        a.at <= f.wall + f.durationS * 1000 + WINDOW_MS,
    ),
  );
  if (found.some((a) => a === undefined)) missed.push(f);
  else
    latencies.set(f.fault, [...(latencies.get(f.fault) ?? []), ...found.map((a) => (a?.at ?? 0) - f.wall)]);
}
// Every alarm must be explained by a fault or a restart just before it.
const motiveRestarts = motive.injected.filter((f) => f.fault === "serverRestart");
const unexplained = received.filter((a) => {
  if (a.at - startedAt < 5000) return false; // the start: the daemon meets the rig
  const byFault = injected.some(
    (f) =>
      f.expect &&
      (f.expect.kind === a.kind || f.expect.warning === a.kind) &&
      f.expect.subjects.includes(a.subject) &&
      a.at >= f.wall - 50 &&
      a.at <= f.wall + f.durationS * 1000 + WINDOW_MS,
  );
  const byMotiveRestart = motiveRestarts.some(
    (r) =>
      a.at >= r.wallSentAt - 50 &&
      a.at <= r.wallSentAt + 2000 + WINDOW_MS &&
      ["ot_loss", "stream_stale"].includes(a.kind),
  );
  const byRecorderRestart = restarts.some(
    (r) => a.at >= r.from - 50 && a.at <= r.to + WINDOW_MS && a.kind === "stream_stale",
  );
  return !(byFault || byMotiveRestart || byRecorderRestart);
});
/** Alarms the simulators' own stalls explain: OT silence (and the jump after it) past 80 ms, image streams past 400 ms. */
const byStall = unexplained.filter((a) =>
  stalls.some((st) => {
    const long = st.to - st.from;
    const ot = ["ot_loss", "teleport"].includes(a.kind) && long >= 80;
    const images = ["stream_stale", "pipeline_stall", "intensity_spike"].includes(a.kind) && long >= 400;
    return (ot || images) && a.at >= st.from && a.at <= st.to + WINDOW_MS;
  }),
);
const withoutFault = unexplained.filter((a) => !byStall.includes(a));
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? Number.NaN;
};
const median = (xs: number[]) => percentile(xs, 50);
const near = (minute: number) =>
  median(samples.filter((s) => Math.abs(s.minute - minute) <= 0.5).map((s) => s.rssMB));
const rss5 = near(Math.min(5, minutes / 2));
const rssEnd = median(samples.slice(-6).map((s) => s.rssMB));
const first = samples.find((s) => s.minute >= 1) ?? samples[0];
const last = samples.at(-1);
const cpuPct =
  first && last ? ((last.cpuS - first.cpuS) / ((last.minute - first.minute) * 60)) * 100 : Number.NaN;
const health = await fetch(`http://127.0.0.1:${port}/healthz`)
  .then((r) => r.status)
  .catch(() => 0);

console.log(
  `\ninjected faults: ${injected.filter((i) => i.expect).length} (+ ${injected.filter((i) => i.fault === "garbage").length} garbage datagrams, ${motiveRestarts.length} Motive restarts, ${restarts.length} recorder restarts); page visits ${pageVisits}`,
);
for (const [fault, xs] of latencies)
  console.log(
    `  ${fault.padEnd(15)} n ${String(xs.length).padStart(4)}  latency p50 ${percentile(xs, 50).toFixed(0).padStart(5)} ms  p99 ${percentile(xs, 99).toFixed(0).padStart(5)} ms`,
  );
console.log(
  `missed (fault without its alarm): ${missed.length}${missed.length ? ` ${JSON.stringify(missed.slice(0, 5))}` : ""}`,
);
console.log(
  `simulator stalls (this process's event loop held > 80 ms; the machine was loaded): ${stalls.length}, longest ${Math.max(0, ...stalls.map((st) => st.to - st.from)).toFixed(0)} ms; alarms they explain: ${byStall.length}`,
);
console.log(`alarms without a fault (neither scheduled nor a simulator stall): ${withoutFault.length}`);
for (const a of withoutFault.slice(0, 40))
  console.log(
    `  minute ${((a.at - startedAt) / 60_000).toFixed(3)} ${a.kind} ${a.subject}${a.detail ? ` ${JSON.stringify(a.detail)}` : ""}`,
  );
console.log(
  `RSS: minute ${Math.min(5, minutes / 2)} ${rss5.toFixed(1)} MB → end ${rssEnd.toFixed(1)} MB: ${(((rssEnd - rss5) / rss5) * 100).toFixed(1)} % (target < 10 %)`,
);
console.log(`daemon CPU: ${cpuPct.toFixed(1)} % of one core (target ≤ 10 %)`);
console.log(`daemon still up: ${daemonExit === undefined}, /healthz ${health}`);
console.log(
  `RSS samples (minute: MB): ${samples
    .filter((_, i) => i % 6 === 0)
    .map((s) => `${s.minute.toFixed(0)}: ${s.rssMB.toFixed(0)}`)
    .join(", ")}`,
);

ws.close();
daemon.kill("SIGTERM");
if (daemonExit === undefined) await new Promise((r) => daemon.once("exit", r));
await tap.close();
await motive.close();
rmSync(state, { recursive: true, force: true });
