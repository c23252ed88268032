import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { Socket } from "node:net";
import { freePort } from "./freePort.js";
import { tempDir } from "./paths.js";

export interface RedisServerOptions {
  /**
   * Keep the data across a restart (append-only file, fsync'd on every write), as a production Redis
   * would: the restart test checks that the queue goes on where it was. Default: no persistence.
   */
  readonly persistent?: boolean;
}

/**
 * Debian's redis-server on a free loopback port with a temporary data folder and, by default, no
 * persistence (`--save "" --appendonly no`): a real server for the queue tests, restartable on the
 * same port (every connection drops; the clients reconnect).
 */
export class RedisServer {
  #child: ChildProcess | undefined;
  readonly #dir = tempDir("rigwatch-redis-");

  private constructor(
    readonly port: number,
    private readonly persistent: boolean,
  ) {}

  static async start({ persistent = false }: RedisServerOptions = {}): Promise<RedisServer> {
    const server = new RedisServer(await freePort(), persistent);
    await server.#spawn();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Kills the server (SIGKILL: no goodbye to the clients) and starts a fresh one on the same port. */
  async restart(): Promise<void> {
    await this.down();
    await this.up();
  }

  /** Kills the server (SIGKILL); its port refuses connections until up(). */
  async down(): Promise<void> {
    await this.#kill("SIGKILL");
  }

  /** Starts it again on the same port (after down()). */
  async up(): Promise<void> {
    await this.#spawn();
  }

  async stop(): Promise<void> {
    await this.#kill("SIGTERM");
    this.#dir.cleanup();
  }

  async #spawn(): Promise<void> {
    const child = spawn(
      "redis-server",
      [
        ...["--port", String(this.port), "--bind", "127.0.0.1", "--dir", this.#dir.path, "--save", ""],
        ...(this.persistent ? ["--appendonly", "yes", "--appendfsync", "always"] : ["--appendonly", "no"]),
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = once(child, "exit").then(([code]) => {
      throw new Error(`redis-server exited (${String(code)}) before answering PING: ${stderr}`);
    });
    this.#child = child;
    await Promise.race([this.#answersPing(), exited]);
    exited.catch(() => undefined); // a later exit is the test's own doing
  }

  async #kill(signal: NodeJS.Signals): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, "exit");
    child.kill(signal);
    await exited;
  }

  /** PING until PONG, with a deadline that only names a hang. */
  async #answersPing(timeoutMs = 15_000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      if (await ping(this.port)) return;
      if (performance.now() > deadline) throw new Error(`redis-server on ${this.port} never answered PING`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    let reply = "";
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once("error", () => done(false));
    socket.on("data", (chunk: Buffer) => {
      reply += chunk.toString();
      if (reply.includes("\r\n")) done(reply.startsWith("+PONG"));
    });
    socket.connect(port, "127.0.0.1", () => socket.write("PING\r\n"));
  });
}
