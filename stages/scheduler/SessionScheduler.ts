import { existsSync } from "node:fs";
import { basename, join } from "node:path";
import { Subject } from "rxjs";
import type { Config } from "../../config/index.js";
import type { ProgressMessage } from "../../sinks/hubMessages.js";
import { isContentFault } from "../../hw/h5/index.js";
import { beingWritten } from "../integrity/checkEpisode.js";
import { QuarantineError, quarantine } from "../integrity/quarantine.js";
import { TaskError, type WorkerPool } from "../pool/index.js";
import { PauseSwitch } from "./PauseSwitch.js";
import {
  AFTER_DETECT_STAGES,
  type EpisodeStage,
  EPISODE_STAGES,
  type Fingerprint,
  fingerprint,
  sameFingerprint,
  SessionState,
  type StageRecord,
} from "./SessionState.js";
import { defaultReportDir, episodeKey } from "../dataset/index.js";
import { activeSensorsFromTasks } from "../detect/declaredSensors.js";
import { readFreezeRecords } from "../detect/freezeRecords.js";
import { REPORT_FILES } from "../detect/runDetect.js";
import { runMetadata, sessionTarget } from "../metadata/index.js";
import type { CheckOutcome, DetectStageResult } from "./stageTasks.js";

const TASKS = new URL(`./stageTasks${import.meta.url.endsWith(".ts") ? ".ts" : ".js"}`, import.meta.url).href;

export interface SchedulerOptions {
  readonly detect: Config["detect"];
  readonly previews: Config["previews"];
  readonly pool: WorkerPool;
  /** Parallel episodes (the pool's size is the ceiling). */
  readonly jobs: number;
  readonly pause?: PauseSwitch;
  readonly gzipLevel?: number;
}

export interface EpisodeOutcome {
  readonly episode: string;
  /** `busy`: another process still held the file open for writing; nothing was done to it. */
  readonly state: "done" | "failed" | "quarantined" | "busy";
  readonly ran: EpisodeStage[];
  readonly skipped: EpisodeStage[];
  readonly error?: string;
}

export interface SessionOutcome {
  readonly episodes: EpisodeOutcome[];
  readonly detect: "done" | "skipped" | "failed" | "nothing to do";
  readonly detectError?: string;
  /** Episodes whose previews failed (after detect), with why. */
  readonly previewsFailed: { readonly episode: string; readonly error: string }[];
  /** tasks.json brought up to date: "skipped" when it already was. */
  readonly metadata: "done" | "skipped" | "failed" | "nothing to do";
  readonly metadataError?: string;
  readonly failed: number;
}

/**
 * Runs the post-session stages of one session folder: per episode check → compress → index (episodes
 * in parallel on the worker pool), then detect's session reports, then each episode's previews (they
 * draw what detect decided, manual verdicts included). Stage state lives next to the data
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

  /**
   * `detect: false` runs the episode stages only (a take just ended; the session's reports come at its
   * close). Throws SessionStateError, before anything runs, when the session's state cannot be written.
   */
  async run(episodes: readonly string[], { detect: withDetect = true } = {}): Promise<SessionOutcome> {
    this.state.requireWritable();
    for (const path of episodes)
      for (const stage of [...EPISODE_STAGES, ...(withDetect ? AFTER_DETECT_STAGES : [])])
        this.emit(path, stage, "queued");
    let round = await this.round(episodes, withDetect);
    if (round.resettle.length > 0) {
      // The metadata stage has just recorded the session's active sensors in tasks.json: takes that were
      // analysed with another (detected) set are indexed and detected again with the session's.
      for (const name of round.resettle) this.state.resetStage(name, "index");
      this.state.clearSession("detect");
      round = await this.round(episodes, withDetect);
    }
    this.progress$.complete();
    return round.outcome;
  }

  private async round(
    episodes: readonly string[],
    withDetect: boolean,
  ): Promise<{ outcome: SessionOutcome; resettle: string[] }> {
    const outcomes = await this.inLanes(episodes, (path) => this.runEpisode(path));
    let usable = episodes.filter((_, i) => outcomes[i]?.state === "done");
    const detect = withDetect ? await this.runDetect(usable) : { state: "nothing to do" as const };
    // A damaged chunk detect met stops that take's chain like check's would have.
    for (const [path, error] of detect.corrupt ?? []) {
      const i = episodes.indexOf(path);
      outcomes[i] = this.quarantineAfter(path, "check", error, outcomes[i] as EpisodeOutcome);
    }
    usable = episodes.filter((_, i) => outcomes[i]?.state === "done");
    const detected = detect.state === "done" || detect.state === "skipped";
    const previewsFailed = detected ? await this.runPreviews(usable) : [];
    const metadata = detected ? this.runMetadata(usable) : { state: "nothing to do" as const, resettle: [] };
    return {
      resettle: metadata.resettle,
      outcome: {
        episodes: outcomes,
        detect: detect.state,
        ...(detect.error ? { detectError: detect.error } : {}),
        previewsFailed,
        metadata: metadata.state,
        ...(metadata.error ? { metadataError: metadata.error } : {}),
        failed:
          outcomes.filter((o) => o.state === "failed" || o.state === "busy").length +
          (detect.state === "failed" ? 1 : 0) +
          previewsFailed.length +
          (metadata.state === "failed" ? 1 : 0),
      },
    };
  }

  /**
   * tasks.json for the session (spec §8), in this thread: it only reads detect's reports. Returns the
   * takes to analyse again when it has just written the session's active sensors and a take was
   * analysed with a different (detected) set.
   */
  private runMetadata(paths: readonly string[]): {
    state: SessionOutcome["metadata"];
    error?: string;
    resettle: string[];
  } {
    const target = sessionTarget(this.sessionDir);
    if (target === undefined || paths.length === 0) return { state: "nothing to do", resettle: [] };
    try {
      const declaredBefore = activeSensorsFromTasks(target.tasksPath, target.date);
      const run = runMetadata([target]);
      const declared = activeSensorsFromTasks(target.tasksPath, target.date);
      const effective =
        (this.state.session("detect")?.result as DetectStageResult | undefined)?.activeSensors ?? {};
      const resettle =
        declaredBefore === undefined && declared !== undefined
          ? paths
              .map((p) => basename(p, ".h5"))
              .filter((name) => (effective[name] ?? []).join(",") !== declared.join(","))
          : [];
      const changed = run.sessions.some((s) => s.changed.length > 0);
      this.progress$.next({
        type: "progress",
        episode: "session",
        stage: "metadata",
        state: changed ? "done" : "skipped",
      });
      return { state: changed ? "done" : "skipped", resettle };
    } catch (error) {
      const message = (error as Error).message;
      this.progress$.next({
        type: "progress",
        episode: "session",
        stage: "metadata",
        state: "failed",
        error: message,
      });
      return { state: "failed", error: message, resettle: [] };
    }
  }

  /**
   * Each episode's previews, episodes in parallel. Done work is skipped while the episode file and
   * the detect run it drew from are unchanged (a new detect may carry new verdicts).
   */
  private async runPreviews(paths: readonly string[]): Promise<SessionOutcome["previewsFailed"]> {
    const detectAt = this.state.session("detect")?.at;
    const failed: { episode: string; error: string }[] = [];
    await this.inLanes(paths, async (path) => {
      for (const stage of AFTER_DETECT_STAGES) {
        const record = this.state.episode(basename(path, ".h5"))[stage];
        const result = record?.result as { gifPath?: string; detectAt?: string } | undefined;
        if (
          record?.state === "done" &&
          sameFingerprint(record.file, fingerprint(path)) &&
          result?.detectAt === detectAt &&
          result?.gifPath !== undefined &&
          existsSync(result.gifPath)
        ) {
          this.emit(path, stage, "skipped");
          continue;
        }
        const ran = await this.runOnPool(path, stage);
        if ("error" in ran) {
          failed.push({ episode: basename(path, ".h5"), error: ran.error });
          continue;
        }
        const made = { ...(ran.result as object), detectAt };
        this.record(path, stage, { state: "done", at: now(), result: made, ...fileOf(path) });
        this.emit(path, stage, "done");
      }
    });
    return failed;
  }

  /** `work` over the items on at most `jobs` lanes, items taken in order; results in the items' order. */
  private async inLanes<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
    const out: R[] = new Array(items.length);
    let next = 0;
    const lanes = Array.from({ length: Math.max(1, Math.min(this.options.jobs, items.length)) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await work(items[i] as T);
      }
    });
    await Promise.all(lanes);
    return out;
  }

  /** Holds while a take records, then runs one stage on the pool; a failure is recorded and reported. */
  private async runOnPool(
    path: string,
    stage: EpisodeStage,
  ): Promise<{ result: unknown } | { error: string; contentFault: boolean }> {
    await this.heldWhilePaused(path, stage);
    this.emit(path, stage, "running");
    this.record(path, stage, { state: "running", at: now() });
    try {
      return { result: await this.options.pool.run<unknown>(this.task(stage, path)) };
    } catch (error) {
      const message = (error as Error).message;
      this.record(path, stage, { state: "failed", at: now(), error: message });
      this.emit(path, stage, "failed", message);
      const fields = error instanceof TaskError ? error : undefined;
      const contentFault = fields?.name === "EpisodeError" && isContentFault(String(fields.fields.code));
      return { error: message, contentFault };
    }
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
      // Nothing is ever replaced while another process still writes the file.
      const busy = stage === "compress" ? beingWritten(path) : undefined;
      if (busy) {
        this.emit(path, stage, "failed", busy.message);
        return { episode, state: "busy", ran, skipped, error: busy.message };
      }
      const outcome = await this.runOnPool(path, stage);
      if ("error" in outcome) {
        const failed: EpisodeOutcome = { episode, state: "failed", ran, skipped, error: outcome.error };
        return outcome.contentFault ? this.quarantineAfter(path, stage, outcome.error, failed) : failed;
      }
      const { result } = outcome;
      ran.push(stage);
      if (stage === "check" && (result as CheckOutcome).status !== "ok") {
        const check = result as Exclude<CheckOutcome, { status: "ok" }>;
        const error = check.notRenamed ? `${check.error}; ${check.notRenamed}` : check.error;
        if (check.quarantinedAs !== undefined) {
          this.record(path, stage, { state: "quarantined", at: now(), result });
          this.emit(path, stage, "failed", error);
          return { episode, state: "quarantined", ran, skipped, error };
        }
        this.record(path, stage, { state: "failed", at: now(), result, error });
        this.emit(path, stage, "failed", error);
        return { episode, state: check.status === "busy" ? "busy" : "failed", ran, skipped, error };
      }
      this.record(path, stage, { state: "done", at: now(), result, ...fileOf(path) });
      this.emit(path, stage, "done");
    }
    return { episode, state: "done", ran, skipped };
  }

  /**
   * A stage after check found the file's content damaged (a chunk that does not decode): the take's
   * chain stops and the file is quarantined as check would have done, its bytes untouched. When it
   * cannot be renamed it stays, reported.
   */
  private quarantineAfter(
    path: string,
    stage: EpisodeStage,
    error: string,
    outcome: EpisodeOutcome,
  ): EpisodeOutcome {
    const episode = basename(path, ".h5");
    try {
      const quarantinedAs = quarantine(path);
      this.record(path, stage, { state: "quarantined", at: now(), result: { quarantinedAs }, error });
      return { ...outcome, episode, state: "quarantined", error };
    } catch (failure) {
      if (!(failure instanceof QuarantineError)) throw failure;
      return { ...outcome, episode, state: "failed", error: `${error}; ${failure.message}` };
    }
  }

  private async runDetect(
    paths: readonly string[],
  ): Promise<{ state: SessionOutcome["detect"]; error?: string; corrupt?: [string, string][] }> {
    if (paths.length === 0) return { state: "nothing to do" };
    const inputs: Record<string, Fingerprint> = {};
    for (const p of paths) inputs[basename(p, ".h5")] = fingerprint(p) as Fingerprint;
    const verdicts = this.manualVerdicts(paths);
    const previous = this.state.session("detect");
    if (
      previous?.state === "done" &&
      JSON.stringify(previous.inputs) === JSON.stringify(inputs) &&
      previous.verdicts === verdicts
    ) {
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
      this.state.setSession("detect", { state: "done", at: now(), result, inputs, verdicts });
      this.progress$.next({ type: "progress", episode: "session", stage: "detect", state: "done" });
      const byName = new Map(paths.map((p) => [basename(p, ".h5"), p]));
      const corrupt = (result as DetectStageResult).damaged.flatMap(({ name, error }): [string, string][] => {
        const path = byName.get(name);
        return path === undefined ? [] : [[path, error]];
      });
      return { state: "done", corrupt };
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

  /**
   * The verdicts people set on this session's freezes (rigwatch verdict), as one string: a new one
   * makes the session's detect (and so its previews) run again.
   */
  private manualVerdicts(paths: readonly string[]): string {
    const keys = new Set(paths.map((p) => episodeKey(p)));
    try {
      const records = readFreezeRecords(join(defaultReportDir(paths[0] as string), REPORT_FILES.freezes));
      return JSON.stringify(
        records
          .filter((r) => keys.has(r.episode) && r.manual_verdict !== null)
          .map((r) => [r.episode, r.side, r.h5_a, r.h5_b, r.manual_verdict]),
      );
    } catch {
      return "unreadable"; // detect itself stops on the damaged file and says why
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
      case "previews":
        return {
          module: TASKS,
          fn: "previewsStage",
          args: [path, { detect: this.options.detect, previews: this.options.previews }, flag],
        };
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
