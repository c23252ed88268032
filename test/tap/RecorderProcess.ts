import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { join } from "node:path";
import { PROJECT_ROOT } from "../helpers/paths.js";

/** The Python stand-in recorder (test/tap/recorder.py) as a child process, one command at a time. */
export class RecorderProcess {
  private readonly lines: string[] = [];
  private waiting: ((line: string) => void) | undefined;
  private stderr = "";

  private constructor(readonly child: ChildProcessWithoutNullStreams) {
    let buffered = "";
    child.stdout.on("data", (chunk: Buffer) => {
      buffered += String(chunk);
      let nl: number;
      while ((nl = buffered.indexOf("\n")) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (this.waiting) {
          const w = this.waiting;
          this.waiting = undefined;
          w(line);
        } else this.lines.push(line);
      }
    });
    child.stderr.on("data", (chunk: Buffer) => {
      this.stderr += String(chunk);
    });
  }

  static async start(publish: string, alarms: string, queueTicks = 4): Promise<RecorderProcess> {
    const child = spawn("/usr/bin/python3", [
      join(PROJECT_ROOT, "test/tap/recorder.py"),
      join(PROJECT_ROOT, "hw/tap/python"),
      publish,
      alarms,
      String(queueTicks),
    ]);
    const recorder = new RecorderProcess(child);
    await recorder.next();
    return recorder;
  }

  async send<T = Record<string, unknown>>(command: object): Promise<T> {
    this.child.stdin.write(`${JSON.stringify(command)}\n`);
    return JSON.parse(await this.next()) as T;
  }

  kill(): Promise<void> {
    return new Promise((resolve) => {
      this.child.once("exit", () => resolve());
      this.child.kill("SIGKILL");
    });
  }

  private next(): Promise<string> {
    const queued = this.lines.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) =>
        reject(new Error(`recorder.py exited (${code}): ${this.stderr}`));
      this.child.once("exit", onExit);
      this.waiting = (line) => {
        this.child.off("exit", onExit);
        resolve(line);
      };
    });
  }
}
