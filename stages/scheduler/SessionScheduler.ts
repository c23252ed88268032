import { existsSync } from "node:fs";
import { basename } from "node:path";
import { Subject } from "rxjs";
import type { Config } from "../../config/index.js";
import type { ProgressMessage } from "../../sinks/hubMessages.js";
import type { WorkerPool } from "../pool/index.js";
import { PauseSwitch } from "./PauseSwitch.js";
import {
  type EpisodeStage,
  EPISODE_STAGES,
  type Fingerprint,
  fingerprint,
  sameFingerprint,
  SessionState,
  type StageRecord,
} from "./SessionState.js";
import type { CheckOutcome } from "./stageTasks.js";

const TASKS = new URL(`./stageTasks${import.meta.url.endsWith(".ts") ? ".ts" : ".js"}`, import.meta.url).href;

export interface SchedulerOptions {
  readonly detect: Config["detect"];
  readonly pool: WorkerPool;
  /** Parallel episodes (the pool's size is the ceiling). */
  readonly jobs: number;
  readonly pause?: PauseSwitch;
  readonly gzipLevel?: number;
}

export interface EpisodeOutcome {
  readonly episode: string;
  readonly state: "done" | "failed" | "quarantined";
  readonly ran: EpisodeStage[];
  readonly skipped: EpisodeStage[];
  readonly error?: string;
}

export interface SessionOutcome {
  readonly episodes: EpisodeOutcome[];
  readonly detect: "done" | "skipped" | "failed" | "nothing to do";
  readonly detectError?: string;
  readonly failed: number;
}

/**
 * Runs the post-session stages of one session folder: per episode check → compress → index (episodes
 * in parallel on the worker pool), then detect's session reports. Stage state lives next to the data
 * (SessionState), so finished work is skipped and a killed run resumes where it stopped; a stage whose
 * file changed since it ran is done again. Heavy stages hold while the pause switch is on.
 */
export class SessionScheduler {
  readonly progress$ = new Subject<ProgressMessage>();
  readonly state: SessionState;
  private readonly pause: PauseSwitch;

  constructor(
    readonly sessionDir: string,
    private readonly options: SchedulerOptions,
  ) {
    this.state = new SessionState(sessionDir);
    this.pause = options.pause ?? new PauseSwitch();
  }

  /** `detect: false` runs the episode stages only (a take just ended; the session's reports come at its close). */
  async run(episodes: readonly string[], { detect: withDetect = true } = {}): Promise<SessionOutcome> {
    const outcomes: EpisodeOutcome[] = new Array(episodes.length);
    for (const path of episodes) for (const stage of EPISODE_STAGES) this.emit(path, stage, "queued");
    let next = 0;
    const lanes = Array.from(
      { length: Math.max(1, Math.min(this.options.jobs, episodes.length)) },
      async () => {
        while (next < episodes.length) {
          const i = next++;
          outcomes[i] = await this.runEpisode(episodes[i] as string);
        }
      },
    );
    await Promise.all(lanes);
    const usable = episodes.filter((_, i) => outcomes[i]?.state === "done");
    const detect = withDetect ? await this.runDetect(usable) : { state: "nothing to do" as const };
    this.progress$.complete();
    return {
      episodes: outcomes,
      detect: detect.state,
      ...(detect.error ? { detectError: detect.error } : {}),
      failed: outcomes.filter((o) => o.state === "failed").length + (detect.state === "failed" ? 1 : 0),
    };
  }

  private async runEpisode(path: string): Promise<EpisodeOutcome> {
    const episode = basename(path, ".h5");
    let records = this.state.episode(episode);
    const lastDone = EPISODE_STAGES.map((s) => records[s])
      .filter((r) => r?.state === "done")
      .at(-1);
    if (lastDone && !sameFingerprint(lastDone.file, fingerprint(path))) {
      this.state.resetEpisode(path); // the file changed since: its results are stale
      records = {};
    }
    const ran: EpisodeStage[] = [];
    const skipped: EpisodeStage[] = [];
    for (const stage of EPISODE_STAGES) {
      if (this.isDone(stage, records[stage])) {
        skipped.push(stage);
        this.emit(path, stage, "skipped");
        continue;
      }
      await this.heldWhilePaused(path, stage);
      this.emit(path, stage, "running");
      this.record(path, stage, { state: "running", at: now() });
      try {
        const result = await this.options.pool.run<unknown>(this.task(stage, path));
        ran.push(stage);
        if (stage === "check" && (result as CheckOutcome).status !== "ok") {
          const outcome = result as Exclude<CheckOutcome, { status: "ok" }>;
          this.record(path, stage, { state: "quarantined", at: now(), result });
          this.emit(path, stage, "failed", outcome.error);
          return { episode, state: "quarantined", ran, skipped, error: outcome.error };
        }
        this.record(path, stage, { state: "done", at: now(), result, ...fileOf(path) });
        this.emit(path, stage, "done");
      } catch (error) {
        const message = (error as Error).message;
        this.record(path, stage, { state: "failed", at: now(), error: message });
        this.emit(path, stage, "failed", message);
        return { episode, state: "failed", ran, skipped, error: message };
      }
    }
    return { episode, state: "done", ran, skipped };
  }

  private async runDetect(
    paths: readonly string[],
  ): Promise<{ state: SessionOutcome["detect"]; error?: string }> {
    if (paths.length === 0) return { state: "nothing to do" };
    const inputs: Record<string, Fingerprint> = {};
    for (const p of paths) inputs[basename(p, ".h5")] = fingerprint(p) as Fingerprint;
    const previous = this.state.session("detect");
    if (previous?.state === "done" && JSON.stringify(previous.inputs) === JSON.stringify(inputs)) {
      this.progress$.next({ type: "progress", episode: "session", stage: "detect", state: "skipped" });
      return { state: "skipped" };
    }
    await this.heldWhilePaused("session", "detect");
    this.progress$.next({ type: "progress", episode: "session", stage: "detect", state: "running" });
    try {
      const result = await this.options.pool.run<unknown>({
        module: TASKS,
        fn: "detectStage",
        args: [paths, this.options.detect, this.pause.flag],
      });
      this.state.setSession("detect", { state: "done", at: now(), result, inputs });
      this.progress$.next({ type: "progress", episode: "session", stage: "detect", state: "done" });
      return { state: "done" };
    } catch (error) {
      const message = (error as Error).message;
      this.state.setSession("detect", { state: "failed", at: now(), error: message });
      this.progress$.next({
        type: "progress",
        episode: "session",
        stage: "detect",
        state: "failed",
        error: message,
      });
      return { state: "failed", error: message };
    }
  }

  /** Done and its outputs still there. */
  private isDone(stage: EpisodeStage, record: StageRecord | undefined): boolean {
    if (record?.state !== "done") return false;
    if (stage === "index") {
      const r = record.result as { ptPath?: string; sidecarPath?: string } | undefined;
      return Boolean(r?.ptPath && existsSync(r.ptPath) && r.sidecarPath && existsSync(r.sidecarPath));
    }
    return true;
  }

  private task(stage: EpisodeStage, path: string) {
    const flag = this.pause.flag;
    switch (stage) {
      case "check":
        return { module: TASKS, fn: "checkStage", args: [path] };
      case "compress":
        return { module: TASKS, fn: "compressStage", args: [path, this.options.gzipLevel, flag] };
      case "index":
        return { module: TASKS, fn: "indexStage", args: [path, this.options.detect, flag] };
    }
  }

  /** Before a heavy stage starts: says it is paused and waits for the switch (check is light). */
  private async heldWhilePaused(path: string, stage: EpisodeStage | "detect"): Promise<void> {
    if (stage === "check" || !this.pause.paused) return;
    this.emit(path, stage, "paused");
    while (this.pause.paused) await new Promise((resolve) => setTimeout(resolve, 100));
  }

  private record(path: string, stage: EpisodeStage, record: StageRecord): void {
    this.state.setEpisode(path, stage, record);
  }

  private emit(path: string, stage: string, state: ProgressMessage["state"], error?: string): void {
    this.progress$.next({
      type: "progress",
      episode: path === "session" ? path : basename(path, ".h5"),
      stage,
      state,
      ...(error ? { error } : {}),
    });
  }
}

function now(): string {
  return new Date().toISOString();
}

function fileOf(path: string): { file?: Fingerprint } {
  const f = fingerprint(path);
  return f ? { file: f } : {};
}
