import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { natnetVersion } from "../../hw/natnet/index.js";
import { freePort } from "../helpers/freePort.js";
import { CLI, tempDir } from "../helpers/paths.js";
import { waitFor } from "../helpers/waitFor.js";
import { frameOf, rigidBody, TestServer } from "../natnet/client/helpers/TestServer.js";
import { mulberry32 } from "../../sim/episode/prng.js";

const TOKEN = "fuzz-token-7c1e";
const dir = tempDir();
let daemon: ChildProcessWithoutNullStreams | undefined;
let server: TestServer | undefined;
afterAll(async () => {
  daemon?.kill("SIGKILL");
  await server?.stop();
  dir.cleanup();
});

/** Seeded: the same hostile traffic on every run. */
const random = mulberry32(11);
const int = (n: number) => Math.floor(random() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T;
const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));

const rssMB = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]) / 1024;

/** One request or raw payload: what a stranger on the network can send. */
function hostileRequest(port: number): Buffer {
  const host = `127.0.0.1:${port}`;
  const token = pick([TOKEN, "", "wrong", TOKEN.slice(0, -1), `${TOKEN}x`, "%zz", "\u00ff".repeat(40)]);
  const path = pick([
    "/",
    "/ws",
    "/healthz",
    "/metrics",
    "/main.js",
    "/../../etc/passwd",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/..%2f..%2fetc%2fpasswd",
    "/%00",
    "/main.js%00.html",
    "/%",
    "/%zz",
    "/%E0%A4%A",
    "//etc/passwd",
    "http://evil/../",
    "*",
    `/${"a".repeat(int(5000))}`,
    `/?token=${encodeURIComponent(token)}`,
    `/?token=%E0%A4%A&token=${token}`,
    `/metrics?${"x=1&".repeat(int(2000))}`,
  ]);
  const method = pick([
    "GET",
    "GET",
    "HEAD",
    "POST",
    "PUT",
    "DELETE",
    "OPTIONS",
    "TRACE",
    "CONNECT",
    "G\u0000T",
    "get",
  ]);
  const headers: string[] = [`Host: ${pick([host, "evil.example", "", "[::1]", "localhost:1"])}`];
  switch (int(8)) {
    case 0:
      headers.push(`Cookie: rigwatch_token=${pick(["%E0%A4%A", "%", "%%%", token, `${token}; a=%zz`])}`);
      break;
    case 1:
      headers.push(
        `Authorization: ${pick(["Bearer ", "Bearer", "Basic x", `Bearer ${token}`, "Bearer \u00e9"])}${token}`,
      );
      break;
    case 2:
      headers.push(`X-Big: ${"b".repeat(20_000 + int(20_000))}`); // past the 16 KB header limit: 431
      break;
    case 3:
      headers.push(...Array.from({ length: 200 + int(200) }, (_, i) => `X-H${i}: ${"v".repeat(int(80))}`));
      break;
    case 4:
      headers.push(`Bad Header: x`, `\u0001: y`, `X-Crlf: a\rb`);
      break;
    case 5:
      headers.push("Transfer-Encoding: chunked", "Content-Length: 5");
      break;
    case 6:
      headers.push(
        "Connection: Upgrade",
        "Upgrade: websocket",
        `Sec-WebSocket-Version: ${pick(["13", "99", "", "x"])}`,
        `Sec-WebSocket-Key: ${pick(["dGhlIHNhbXBsZSBub25jZQ==", "", "short", "!!!!"])}`,
        `Origin: ${pick([`http://${host}`, "http://evil.example", "null", "::"])}`,
      );
      break;
    default:
      break;
  }
  const head = `${method} ${path} HTTP/${pick(["1.1", "1.0", "2.0", "9"])}\r\n${headers.join("\r\n")}\r\n\r\n`;
  return int(10) === 0
    ? Buffer.concat([Buffer.from(head.slice(0, int(head.length))), bytes(int(200))])
    : Buffer.from(head, "latin1");
}

/** A WebSocket frame a client may not send: bad opcode, oversize length, unmasked, a stray fragment, noise. */
function hostileFrame(): Buffer {
  const mask = bytes(4);
  const masked = (payload: Buffer) => Buffer.from(payload.map((b, i) => b ^ (mask[i % 4] as number)));
  switch (int(7)) {
    case 0: // reserved opcodes 3–7, 0xB–0xF
      return Buffer.concat([
        Buffer.from([0x80 | pick([3, 4, 5, 6, 7, 0xb, 0xc, 0xd, 0xe, 0xf]), 0x80 | 4]),
        mask,
        masked(bytes(4)),
      ]);
    case 1: // a 64-bit length of 2^62
      return Buffer.concat([Buffer.from([0x82, 0x80 | 127, 0x40, 0, 0, 0, 0, 0, 0, 0]), mask]);
    case 2: // unmasked text
      return Buffer.concat([Buffer.from([0x81, 5]), Buffer.from("hello")]);
    case 3: // a continuation with no start
      return Buffer.concat([Buffer.from([0x80, 0x80 | 3]), mask, masked(bytes(3))]);
    case 4: // a fragmented control frame (ping without FIN)
      return Buffer.concat([Buffer.from([0x09, 0x80 | 2]), mask, masked(bytes(2))]);
    case 5: // RSV bits set
      return Buffer.concat([Buffer.from([0xf1, 0x80 | 1]), mask, masked(bytes(1))]);
    default:
      return bytes(1 + int(300));
  }
}

/** Sends `payload` on a fresh connection and waits (at most 3 s) for the server to close it or answer. */
function sendRaw(port: number, payload: Buffer, holdMs = 0): Promise<string> {
  return new Promise((resolve) => {
    const socket: Socket = connect(port, "127.0.0.1");
    let answer = "";
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer.slice(0, 12));
    };
    const timer = setTimeout(done, 3000 + holdMs);
    socket.on("data", (d) => {
      answer += String(d);
      if (!holdMs) done();
    });
    socket.on("error", done);
    socket.on("close", done);
    socket.write(payload);
  });
}

/** Upgrades with the token, then sends `count` hostile frames on that one connection. */
function sendFrames(port: number, count: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    const timer = setTimeout(() => socket.destroy(), 3000);
    socket.on("error", () => undefined);
    socket.on("close", () => {
      clearTimeout(timer);
      resolve();
    });
    let upgraded = false;
    socket.on("data", (d) => {
      if (upgraded) return;
      upgraded = String(d).startsWith("HTTP/1.1 101");
      if (!upgraded) {
        socket.destroy();
        return;
      }
      for (let i = 0; i < count; i++) socket.write(hostileFrame());
      socket.end();
    });
    socket.write(
      `GET /ws?token=${TOKEN} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
    );
  });
}

describe("hostile input on the daemon's network port (seeded fuzz against a running daemon with a token)", () => {
  it("survives ≥ 10,000 hostile requests and frames, floods and clients that never read; still alarms on /ws in time, memory bounded", async () => {
    server = new TestServer(natnetVersion(4, 1), [
      { id: 2, name: "sensor_left" },
      { id: 3, name: "sensor_right" },
    ]);
    await server.start();
    const port = await freePort();
    daemon = spawn(process.execPath, [
      CLI,
      "run",
      "--natnet-command-port",
      String(server.port),
      "--port",
      String(port),
      "--tap",
      `tcp://127.0.0.1:${await freePort()}`,
      "--tap-alarms",
      `tcp://127.0.0.1:${await freePort()}`,
      "--set",
      `daemon.token=${TOKEN}`,
      "--set",
      "stages.auto=false",
      "--set",
      `journal.file=${join(dir.path, "alarms.sqlite")}`,
    ]);
    const stderr: string[] = [];
    daemon.stderr.on("data", (d) => stderr.push(String(d)));
    daemon.stdout.resume();
    const pid = daemon.pid as number;
    await waitFor(
      () => stderr.join("").includes("rigwatch daemon listening") && server?.client !== undefined,
      "the daemon",
      15_000,
    );

    // Motive streams both bodies at ~100 Hz all along.
    let n = 0;
    let leftValid = true;
    const motive = setInterval(() => {
      n++;
      server?.sendFrame(
        frameOf(n, n / 100, [
          rigidBody(2, [n / 1000, 0, 0], [0, 0, 0, 1], leftValid),
          rigidBody(3, [0, n / 1000, 0], [0, 0, 0, 1], true),
        ]),
      );
    }, 10);
    // The operator's page, connected before the storm; and a client that never reads.
    const page = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${TOKEN}`);
    const alarms: { at: number; kind: string; subject: string; state: string }[] = [];
    page.on("message", (d) => {
      const m = JSON.parse(String(d)) as { type: string; kind: string; subject: string; state: string };
      if (m.type === "alarm")
        alarms.push({ at: performance.now(), kind: m.kind, subject: m.subject, state: m.state });
    });
    await new Promise((r) => page.once("open", r));
    const idle = connect(port, "127.0.0.1");
    idle.write(
      `GET /ws?token=${TOKEN} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
    );
    idle.pause(); // never reads a byte
    idle.on("error", () => undefined);
    await waitFor(() => n > 50, "frames", 5000);
    const rssBefore = rssMB(pid);

    let sent = 0;
    // A flood: 400 connections at once, held open without a byte (above the 256 the port keeps).
    const flood = Array.from({ length: 400 }, () => connect(port, "127.0.0.1").on("error", () => undefined));
    sent += flood.length;
    // Slow clients: half a request line, then nothing (the header timeout cuts them).
    const slow = Array.from({ length: 20 }, () =>
      sendRaw(port, Buffer.from("GET / HTTP/1.1\r\nHost: 127"), 6000),
    );
    sent += slow.length;
    await new Promise((r) => setTimeout(r, 200));
    for (const s of flood) s.destroy();
    const answers = new Map<string, number>();
    while (sent < 10_500) {
      const batch: Promise<unknown>[] = [];
      for (let i = 0; i < 25; i++) {
        if (int(4) === 0) {
          const frames = 1 + int(20);
          batch.push(sendFrames(port, frames));
          sent += frames;
        } else {
          batch.push(
            sendRaw(port, hostileRequest(port)).then((a) => answers.set(a, (answers.get(a) ?? 0) + 1)),
          );
          sent++;
        }
      }
      await Promise.all(batch);
    }
    await Promise.all(slow);
    expect(sent).toBeGreaterThanOrEqual(10_000);
    // The port answered with statuses, not crashes: every kind of refusal was seen.
    for (const status of ["HTTP/1.1 400", "HTTP/1.1 401", "HTTP/1.1 403", "HTTP/1.1 404", "HTTP/1.1 431"])
      expect(
        [...answers.keys()].some((a) => a.startsWith(status)),
        status,
      ).toBe(true);

    // Up, healthy, and the alarm path as fast as ever: sensor_left's valid bit clears now.
    expect(daemon.exitCode).toBe(null);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(health.status).toBe(200);
    const clearedAt = performance.now();
    leftValid = false;
    await waitFor(
      () => alarms.some((a) => a.kind === "ot_loss" && a.subject === "sensor_left" && a.state === "raised"),
      "the alarm",
      5000,
    );
    const latency = (alarms.find((a) => a.kind === "ot_loss" && a.state === "raised")?.at ?? 0) - clearedAt;
    // The frame goes out within 10 ms of the flip; the live target is p99 15 ms after it (bench).
    expect(latency).toBeLessThan(250);
    expect(rssMB(pid) - rssBefore).toBeLessThan(64);
    expect(stderr.join("")).not.toContain(TOKEN);
    clearInterval(motive);
    page.close();
    idle.destroy();
  }, 240_000);
});
