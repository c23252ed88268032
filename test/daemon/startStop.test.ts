import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { Publisher } from "zeromq";
import { type MotiveSimulator, startSimulator } from "../../sim/motive/index.js";
import { TapSimulator } from "../../sim/recorder/TapSimulator.js";
import { freePort } from "../helpers/freePort.js";
import { CLI, tempDir } from "../helpers/paths.js";
import { waitFor } from "../helpers/waitFor.js";

const dir = tempDir();
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(() => dir.cleanup());

interface Ran {
  readonly child: ChildProcessWithoutNullStreams;
  readonly stderr: string[];
  /** Resolves with the exit code and when it came (ms). */
  readonly exited: Promise<{ code: number | null; at: number }>;
}

function runDaemon(args: string[], env: Record<string, string> = {}): Ran {
  const child = spawn(process.execPath, [CLI, "run", ...args], { env: { ...process.env, ...env } });
  const stderr: string[] = [];
  let buffered = "";
  child.stderr.on("data", (d: Buffer) => {
    buffered += String(d);
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    stderr.push(...lines.filter(Boolean));
  });
  child.stdout.resume();
  const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
    child.once("exit", (code) => resolve({ code, at: Date.now() })),
  );
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  return { child, stderr, exited };
}

/** The lines meant for a person (the JSON ones are the log). */
const plain = (lines: string[]) => lines.filter((l) => !l.startsWith("{"));
const logs = (lines: string[]) =>
  lines.filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown>);

async function endpoints(): Promise<{ port: number; tap: string; alarms: string; journal: string }> {
  return {
    port: await freePort(),
    tap: `tcp://127.0.0.1:${await freePort()}`,
    alarms: `tcp://127.0.0.1:${await freePort()}`,
    journal: join(dir.path, `${Math.random().toString(36).slice(2)}.sqlite`),
  };
}
const args = (e: Awaited<ReturnType<typeof endpoints>>, extra: string[] = []) => [
  "--port",
  String(e.port),
  "--tap",
  e.tap,
  "--tap-alarms",
  e.alarms,
  "--natnet-command-port",
  "1",
  "--set",
  "stages.auto=false",
  "--set",
  `journal.file=${e.journal}`,
  ...extra,
];
const canListen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s: Server = createServer();
    s.once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });

describe("rigwatch run: a partial start cleans up and exits non-zero with one line naming the cause", () => {
  it("the page's port in use: exit 75, the journal and the ZeroMQ endpoint it had opened released", async () => {
    const e = await endpoints();
    const squatter = createServer().listen(e.port, "127.0.0.1");
    cleanups.push(() => new Promise<void>((r) => squatter.close(() => r())));
    await new Promise((r) => squatter.once("listening", r));
    const ran = runDaemon(args(e));
    expect((await ran.exited).code).toBe(75);
    expect(plain(ran.stderr)).toEqual([
      `rigwatch run: cannot start the page's HTTP port ${e.port}: already in use (listen EADDRINUSE: address already in use 127.0.0.1:${e.port})`,
    ]);
    expect(logs(ran.stderr).find((l) => l.level === 60)).toMatchObject({
      component: `the page's HTTP port ${e.port}`,
    });
    expect(existsSync(`${e.journal}-wal`)).toBe(false); // opened, then closed
    const pub = new Publisher();
    await pub.bind(e.alarms); // the alarm endpoint it had bound is free again
    pub.close();
  });

  it("the recorder's ZeroMQ alarm endpoint taken: exit 75 naming it", async () => {
    const e = await endpoints();
    const squatter = new Publisher();
    await squatter.bind(e.alarms);
    cleanups.push(() => squatter.close());
    const ran = runDaemon(args(e));
    expect((await ran.exited).code).toBe(75);
    expect(plain(ran.stderr)).toEqual([
      `rigwatch run: cannot start the recorder alarm endpoint ${e.alarms}: already in use (Address already in use)`,
    ]);
  });

  it("bad config: exit 78, the key and where it came from; a tap endpoint that is no endpoint: 78, the page port released", async () => {
    const e = await endpoints();
    const bad = runDaemon(args(e, ["--set", "daemon.logLevel=loud"]));
    expect((await bad.exited).code).toBe(78);
    expect(plain(bad.stderr)).toHaveLength(1);
    expect(plain(bad.stderr)[0]).toMatch(
      /^rigwatch run: config daemon\.logLevel \(from flag --set daemon\.logLevel=loud\): /,
    );

    const endpoint = runDaemon(args({ ...e, tap: "tcp://no host here" }));
    expect((await endpoint.exited).code).toBe(78);
    expect(plain(endpoint.stderr)).toEqual([
      "rigwatch run: cannot start the recorder tap tcp://no host here: Invalid argument",
    ]);
    expect(await canListen(e.port)).toBe(true);
  });
});

describe("rigwatch run: stop, health, readiness and metrics", () => {
  it("SIGTERM stops every component within 2 s, the journal closed; /healthz, /readyz, /metrics under the page's access rules", async () => {
    const e = await endpoints();
    const motive: MotiveSimulator = await startSimulator({ commandPort: 0, rateHz: 120 });
    cleanups.push(() => motive.close());
    const ran = runDaemon(
      [...args(e, ["--natnet-command-port", String(motive.port)]), "--set", "daemon.token=s3cret-token"],
      {},
    );
    const base = `http://127.0.0.1:${e.port}`;
    await waitFor(
      () => logs(ran.stderr).some((l) => l.msg === "rigwatch daemon listening"),
      "listening",
      10_000,
    );
    const auth = { authorization: "Bearer s3cret-token" };
    const get = async (path: string, headers: Record<string, string> = auth) => {
      const r = await fetch(`${base}${path}`, { headers });
      return { status: r.status, body: await r.text() };
    };
    // The token is needed for every route, as for the page; it never appears in the log.
    expect((await get("/healthz", {})).status).toBe(401);
    expect((await get("/metrics", { authorization: "Bearer wrong" })).status).toBe(401);
    expect(await get("/healthz")).toEqual({ status: 200, body: '{"status":"live"}\n' });
    // NatNet streams, the tap has no recorder yet: not ready, and why.
    await waitFor(() => logs(ran.stderr).some((l) => l.msg === "natnet connected"), "natnet", 10_000);
    expect(await get("/readyz")).toEqual({
      status: 503,
      body: '{"ready":false,"reasons":["tap waiting"]}\n',
    });
    const recorder = await TapSimulator.start({ endpoint: e.tap });
    cleanups.push(() => recorder.close());
    let ready = await get("/readyz");
    for (let i = 0; i < 200 && ready.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 25));
      ready = await get("/readyz");
    }
    expect(ready).toEqual({ status: 200, body: '{"ready":true}\n' });
    const metrics = await get("/metrics");
    expect(metrics.status).toBe(200);
    for (const name of [
      'rigwatch_body_sample_rate_hz{body="sensor_left"}',
      'rigwatch_body_sample_age_seconds{body="sensor_left"}',
      'rigwatch_body_tracking_valid_ratio{body="sensor_left"} ',
      'rigwatch_alarms_active{severity="critical"} ',
      "rigwatch_tap_messages_total",
      "rigwatch_tap_dropped_total 0",
      "rigwatch_tap_rejected_total 0",
      "rigwatch_natnet_decode_errors_total 0",
      "rigwatch_stage_queue_length 0",
      "rigwatch_stage_failures_total 0",
      "nodejs_eventloop_lag_seconds",
      "process_cpu_seconds_total",
      "process_resident_memory_bytes",
    ])
      expect(metrics.body).toContain(name);
    expect(metrics.body).toContain("rigwatch_http_refused_total 2"); // the two 401s above

    const sentAt = Date.now();
    ran.child.kill("SIGTERM");
    const { code, at } = await ran.exited;
    expect(code).toBe(0);
    expect(at - sentAt).toBeLessThan(2000);
    expect(existsSync(`${e.journal}-wal`)).toBe(false);
    expect(logs(ran.stderr).at(-1)).toMatchObject({ msg: "rigwatch daemon stopped" });
    expect(ran.stderr.some((l) => l.includes("s3cret-token"))).toBe(false);
  }, 30_000);
});
