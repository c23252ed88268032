import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { join } from "node:path";
import WebSocket from "ws";
import { PROJECT_ROOT } from "../helpers/paths.js";
import { waitFor } from "../helpers/waitFor.js";

const CLI = join(PROJECT_ROOT, "dist/cli/cli.js");

type Json = Record<string, unknown> & { type?: string };

/** `rigwatch run` as a child process with a /ws client: alarms from stdout, logs from stderr, /ws messages. */
export class DaemonProcess {
  readonly alarms: Json[] = [];
  readonly logs: Json[] = [];
  readonly messages: Json[] = [];
  /** stderr lines that are not log lines (a config error, a crash). */
  readonly stderr: string[] = [];
  private ws: WebSocket | undefined;

  private constructor(readonly child: ChildProcessWithoutNullStreams) {
    const lines = (sink: (line: string) => void) => {
      let buffered = "";
      return (chunk: Buffer) => {
        buffered += String(chunk);
        const parts = buffered.split("\n");
        buffered = parts.pop() ?? "";
        parts.filter(Boolean).forEach(sink);
      };
    };
    child.stdout.on(
      "data",
      lines((l) => this.alarms.push(JSON.parse(l) as Json)),
    );
    child.stderr.on(
      "data",
      lines((l) => {
        if (l.startsWith("{")) this.logs.push(JSON.parse(l) as Json);
        else this.stderr.push(l);
      }),
    );
  }

  /** `env`: added to this process's environment (a journal file, a test seam). */
  static async start(args: readonly string[], env: Record<string, string> = {}): Promise<DaemonProcess> {
    const child = spawn(process.execPath, [CLI, "run", "--json", "--port", "0", ...args], {
      env: { ...process.env, ...env },
    });
    const daemon = new DaemonProcess(child);
    await waitFor(() => {
      // A daemon that exits at start (a refused config) says why on stderr: fail with it, not a timeout.
      if (child.exitCode !== null)
        throw new Error(`rigwatch run exited ${child.exitCode}: ${daemon.stderr.join("\n")}`);
      return daemon.port !== undefined;
    }, "the daemon to listen");
    daemon.ws = new WebSocket(`ws://127.0.0.1:${daemon.port}/ws`);
    daemon.ws.on("message", (data) => daemon.messages.push(JSON.parse(String(data)) as Json));
    await new Promise((resolve, reject) => {
      daemon.ws?.once("open", resolve);
      daemon.ws?.once("error", reject);
    });
    return daemon;
  }

  get port(): number | undefined {
    return this.logs.find((l) => l.msg === "rigwatch daemon listening")?.port as number | undefined;
  }

  raised(kind: string, subject?: string): Json[] {
    return this.alarms.filter(
      (a) => a.kind === kind && a.state === "raised" && (!subject || a.subject === subject),
    );
  }

  cleared(kind: string, subject?: string): Json[] {
    return this.alarms.filter(
      (a) => a.kind === kind && a.state === "cleared" && (!subject || a.subject === subject),
    );
  }

  latest(type: string): Json | undefined {
    return this.messages.filter((m) => m.type === type).at(-1);
  }

  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> {
    this.ws?.terminate();
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.child.exitCode;
    return new Promise((resolve) => {
      this.child.once("exit", (code) => resolve(code));
      this.child.kill(signal);
    });
  }
}
