import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { once } from "node:events";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { QUEUE_NAME } from "../../stages/queue/stageJob.js";
import { CLI } from "../helpers/paths.js";
import { waitForAsync } from "../helpers/waitFor.js";
import { h5Digest, listFiles } from "../scheduler/helpers.js";

/** Previews of 4 frames, episode GIF and clips: the chain is under test, not the GIFs (their own tests). */
export const PREVIEW_FLAGS = ["--set", "previews.frames=4", "--set", "previews.clips.frames=4"];

/**
 * The previews above, and a queue that notices a dead worker within seconds and retries quickly:
 * the defaults (30 s) are for production.
 */
export const QUEUE_FLAGS = [
  ...PREVIEW_FLAGS,
  ...[
    "--set",
    "queue.lockDurationMs=3000",
    "--set",
    "queue.stalledIntervalMs=1000",
    "--set",
    "queue.backoffMs=200",
  ],
];

export interface JobLine {
  readonly type: string;
  readonly worker?: string;
  readonly state?: string;
  readonly job?: string;
  readonly error?: string;
}

/** A `rigwatch worker --json` process and every line it printed. */
export class WorkerProcess {
  readonly lines: JobLine[] = [];
  readonly #child: ChildProcessWithoutNullStreams;
  #stderr = "";
  name = "";

  private constructor(child: ChildProcessWithoutNullStreams) {
    this.#child = child;
    let buffered = "";
    child.stdout.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) this.lines.push(JSON.parse(line) as JobLine);
    });
    child.stderr.on("data", (chunk: Buffer) => (this.#stderr += chunk.toString()));
  }

  static async start(url: string, jobs = 1): Promise<WorkerProcess> {
    const child = spawn(process.execPath, [
      CLI,
      "worker",
      "--queue",
      url,
      "--jobs",
      String(jobs),
      "--json",
      ...QUEUE_FLAGS,
    ]);
    const worker = new WorkerProcess(child);
    const ready = await worker.waitFor((l) => l.type === "ready", "the worker to be ready", 120_000);
    worker.name = ready.worker ?? "";
    return worker;
  }

  get pid(): number {
    return this.#child.pid as number;
  }

  /** Waits for a line (polled: the lines arrive on this process's event loop) with a deadline that names a hang. */
  async waitFor(match: (line: JobLine) => boolean, what: string, timeoutMs: number): Promise<JobLine> {
    let found: JobLine | undefined;
    await waitForAsync(
      async () => {
        found = this.lines.find(match);
        if (found === undefined && this.#child.exitCode !== null)
          throw new Error(`worker exited (${this.#child.exitCode}) waiting for ${what}: ${this.#stderr}`);
        return found !== undefined;
      },
      what,
      timeoutMs,
    );
    return found as JobLine;
  }

  async kill(): Promise<void> {
    const exited = once(this.#child, "exit");
    this.#child.kill("SIGKILL");
    await exited;
  }

  /** SIGTERM: running jobs finish, then it exits 0. */
  async stop(): Promise<number | null> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return this.#child.exitCode;
    const exited = once(this.#child, "exit");
    this.#child.kill("SIGTERM");
    const [code] = (await exited) as [number | null];
    return code;
  }

  /** The jobs this worker finished (done, skipped or failed), by id. */
  ended(): JobLine[] {
    return this.lines.filter((l) => l.type === "job" && l.state !== "active");
  }
}

/** Runs the CLI to its end. */
export async function runCli(
  args: readonly string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args]);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, "exit")) as [number | null];
  return { code, stdout, stderr };
}

/** `process --queue --json`: the run id it printed. */
export async function enqueue(url: string, sessions: readonly string[], ...extra: string[]): Promise<string> {
  const r = await runCli(["process", ...sessions, "--queue", url, "--json", ...QUEUE_FLAGS, ...extra]);
  if (r.code !== 0) throw new Error(`process --queue exited ${r.code}: ${r.stderr}`);
  const queued = r.stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { type: string; run?: string })
    .find((l) => l.type === "queued");
  return queued?.run as string;
}

/** A BullMQ Queue on the test's Redis (for the jobs' states), closed by the returned close. */
export function openQueue(url: string): { queue: Queue; close: () => Promise<void> } {
  const connection = new Redis(url, { maxRetriesPerRequest: null });
  const queue = new Queue(QUEUE_NAME, { connection });
  return {
    queue,
    close: async () => {
      await queue.close();
      connection.disconnect();
    },
  };
}

/** Waits until the run's last job (the dataset's reports) has ended; its final state. */
export async function runEnded(queue: Queue, run: string, timeoutMs: number): Promise<string> {
  let state = "";
  await waitForAsync(
    async () => {
      state = (await (await queue.getJob(`${run}.reports`))?.getState()) ?? "missing";
      return state === "completed" || state === "failed";
    },
    `run ${run} to end`,
    timeoutMs,
  );
  return state;
}

/**
 * What a dataset holds, to compare runs: every file's SHA-256 except the episode files (their HDF5
 * headers carry times; compared by their values, read by h5py) and the chain's own state in
 * .rigwatch/ (times, durations); the truth files the generator wrote stay as they were.
 */
export function datasetOutputs(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const file of listFiles(root)) {
    if (file.split("/").includes(".rigwatch")) continue;
    out[file] = file.endsWith(".h5")
      ? JSON.stringify(h5Digest(join(root, file)))
      : createHash("sha256")
          .update(readFileSync(join(root, file)))
          .digest("hex");
  }
  return out;
}

/** Temporary files anywhere under `root` (compress's, atomic writes', the evidence's). */
export function tempFiles(root: string): string[] {
  return (readdirSync(root, { recursive: true }) as string[]).filter((p) =>
    /(\.tmp|\.compress-tmp|\.old)$/.test(p),
  );
}
