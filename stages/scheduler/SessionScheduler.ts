import { basename } from "node:path";
import { Subject } from "rxjs";
import type { Config } from "../../config/index.js";
import type { Side } from "../../detectors/samples.js";
import { episodeNumber } from "../dataset/index.js";
import { activeSensorsFromTasks } from "../detect/declaredSensors.js";
import { recordActiveSensors, runMetadata, sessionTarget } from "../metadata/index.js";
// Not the h5 barrel: it would load and instantiate h5wasm in the live daemon, which never reads a file.
import { isContentFault } from "../../hw/h5/errors.js";
import { beingWritten } from "../integrity/writeLock.js";
import { QuarantineError, quarantine } from "../integrity/quarantine.js";
import { type PoolTask, TaskError, type WorkerPool } from "../pool/index.js";
import { PauseSwitch } from "./PauseSwitch.js";
import type { StageProgress, StageState } from "./StageProgress.js";
import {
  AFTER_DETECT_STAGES,
  type EpisodeStage,
  EPISODE_STAGES,
  type Fingerprint,
  fingerprint,
  sameFingerprint,
  SessionState,
  SETTLED_STAGES,
  type StageRecord,
} from "./SessionState.js";
import {
  declaredSensors,
  detectDone,
  detectInputs,
  episodeStageDone,
  manualVerdicts,
  previewsDone,
} from "./stageChecks.js";
import type { StageName, StageResults } from "./stageResults.js";
import { stageTask } from "./stageTask.js";

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

type SessionStep = "done" | "skipped" | "failed" | "nothing to do";

export interface SessionOutcome {
  readonly episodes: EpisodeOutcome[];
  /** The session's active sensors settled before any take is indexed. */
  readonly settle: SessionStep;
  readonly settleError?: string;
  readonly detect: SessionStep;
  readonly detectError?: string;
  /** Episodes whose previews failed (after detect), with why. */
  readonly previewsFailed: { readonly episode: string; readonly error: string }[];
  /** tasks.json brought up to date: "skipped" when it already was. */
  readonly metadata: SessionStep;
  readonly metadataError?: string;
  readonly failed: number;
}

/** What a stage run on the pool came back with. */
type Ran<S extends StageName> =
  { readonly result: StageResults[S] } | { readonly error: string; readonly contentFault: boolean };

/**
 * Runs the post-session stages of one session folder. Per take, as soon as it is closed: check → the
 * analysis pass (every frame decoded once, kept as the take's evidence) → compress (takes in parallel
 * on the worker pool). Then, for the whole session: its active sensors are settled from every take's
 * evidence (tasks.json's, or the union of what each take shows, recorded there), so each take is
 * indexed, detected and previewed once, with the session's set; the index per take; detect's
 * session reports; each take's previews (they draw what detect decided, manual verdicts included);
 * tasks.json. None of these reads a frame again except the previews' panels. Stage state lives next
 * to the data (SessionState), so finished work is skipped and a killed run resumes where it stopped;
 * a stage whose file or inputs changed since it ran is done again. Heavy stages hold while the pause
 * switch is on.
 */
export class SessionScheduler {
  readonly progress$ = new Subject<StageProgress>();
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
   * `detect: false` runs the per-take stages only (a take just ended; the rest comes at the session's
   * close). Throws SessionStateError, before anything runs, when the session's state cannot be written.
   */
  async run(episodes: readonly string[], { detect: withSession = true } = {}): Promise<SessionOutcome> {
    this.state.requireWritable();
    for (const path of episodes)
      for (const stage of [
        ...EPISODE_STAGES,
        ...(withSession ? [...SETTLED_STAGES, ...AFTER_DETECT_STAGES] : []),
      ])
        this.emit(path, stage, "queued");
    const outcomes = await this.inLanes(episodes, (path) => this.runEpisode(path));
    const nothing = { state: "nothing to do" as const };
    if (!withSession) {
      this.progress$.complete();
      return this.outcome(outcomes, nothing, nothing, [], nothing);
    }
    const usable = () => episodes.filter((_, i) => outcomes[i]?.state === "done");
    const settle = await this.runSettle(usable());
    if (settle.state === "done" || settle.state === "skipped")
      await this.inLanes(usable(), async (path) => {
        const i = episodes.indexOf(path);
        outcomes[i] = await this.runIndex(path, outcomes[i] as EpisodeOutcome);
      });
    const indexed = settle.state === "done" || settle.state === "skipped" ? usable() : [];
    const detect = indexed.length > 0 ? await this.runDetect(indexed) : nothing;
    // A damaged chunk detect met stops that take's chain like check's would have.
    for (const [path, error] of "corrupt" in detect ? (detect.corrupt ?? []) : []) {
      const i = episodes.indexOf(path);
      outcomes[i] = this.quarantineAfter(path, "check", error, outcomes[i] as EpisodeOutcome);
    }
    const detected = detect.state === "done" || detect.state === "skipped";
    const kept = indexed.filter((path) => outcomes[episodes.indexOf(path)]?.state === "done");
    const previewsFailed = detected ? await this.runPreviews(kept) : [];
    const metadata = detected ? this.runMetadata(kept) : nothing;
    this.progress$.complete();
    return this.outcome(outcomes, settle, detect, previewsFailed, metadata);
  }

  private outcome(
    episodes: EpisodeOutcome[],
    settle: { state: SessionStep; error?: string },
    detect: { state: SessionStep; error?: string },
    previewsFailed: SessionOutcome["previewsFailed"],
    metadata: { state: SessionStep; error?: string },
  ): SessionOutcome {
    const failed = (s: { state: SessionStep }) => (s.state === "failed" ? 1 : 0);
    return {
      episodes,
      settle: settle.state,
      ...(settle.error ? { settleError: settle.error } : {}),
      detect: detect.state,
      ...(detect.error ? { detectError: detect.error } : {}),
      previewsFailed,
      metadata: metadata.state,
      ...(metadata.error ? { metadataError: metadata.error } : {}),
      failed:
        episodes.filter((o) => o.state === "failed" || o.state === "busy").length +
        failed(settle) +
        failed(detect) +
        previewsFailed.length +
        failed(metadata),
    };
  }

  /** check → analysis pass → compress for one take; a quarantined or failed take stops there. */
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
      if (this.isDone(path, stage, records[stage])) {
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
      const flag = this.pause.flag;
      const outcome =
        stage === "check"
          ? await this.runOnPool(path, stage, () => stageTask("check", path))
          : stage === "analyse"
            ? await this.runOnPool(path, stage, () => stageTask("analyse", path, flag))
            : await this.runOnPool(path, stage, () =>
                stageTask("compress", path, this.options.gzipLevel, flag),
              );
      if ("error" in outcome) {
        const failed: EpisodeOutcome = { episode, state: "failed", ran, skipped, error: outcome.error };
        return outcome.contentFault ? this.quarantineAfter(path, stage, outcome.error, failed) : failed;
      }
      ran.push(stage);
      const { result } = outcome;
      if ("status" in result && result.status !== "ok" && "error" in result) {
        // Corrupt content is renamed aside by the stage; unreadable (this machine's fault) or still being
        // written is left where it is, reported.
        const error =
          "notRenamed" in result && result.notRenamed
            ? `${result.error}; ${result.notRenamed}`
            : result.error;
        const renamed = "quarantinedAs" in result && result.quarantinedAs !== undefined;
        this.record(
          path,
          stage,
          renamed
            ? { state: "quarantined", at: now(), result }
            : { state: "failed", at: now(), result, error },
        );
        this.emit(path, stage, "failed", error);
        const state = renamed ? "quarantined" : result.status === "busy" ? "busy" : "failed";
        return { episode, state, ran, skipped, error };
      }
      this.record(path, stage, { state: "done", at: now(), result, ...fileOf(path) });
      this.emit(path, stage, "done");
    }
    return { episode, state: "done", ran, skipped };
  }

  /**
   * The session's active sensors, before any take is indexed (spec §2 reads them per session from
   * tasks.json): a person's, or else the union of what each take's own analysis finds, recorded in
   * tasks.json so that index, detect, previews and later runs all read the same set. A session outside
   * a dataset has no tasks.json: each take keeps its own detected set.
   */
  private async runSettle(paths: readonly string[]): Promise<{ state: SessionStep; error?: string }> {
    const target = sessionTarget(this.sessionDir);
    if (paths.length === 0) return { state: "nothing to do" };
    try {
      if (target === undefined || activeSensorsFromTasks(target.tasksPath, target.date) !== undefined) {
        this.progress$.next({ episode: null, stage: "settle", state: "skipped" });
        return { state: "skipped" };
      }
      await this.heldWhilePaused("session", "settle");
      this.progress$.next({ episode: null, stage: "settle", state: "running" });
      const { detected } = await this.options.pool.run(
        stageTask("settle", paths, this.options.detect, this.pause.flag),
      );
      const union = new Set(Object.values(detected).flat());
      const sensors = (["left", "right"] as const).filter((s): s is Side => union.has(s));
      recordActiveSensors(target, sensors);
      this.state.setSession("settle", { state: "done", at: now(), result: { detected }, sensors });
      this.progress$.next({ episode: null, stage: "settle", state: "done" });
      return { state: "done" };
    } catch (error) {
      const message = (error as Error).message;
      this.state.setSession("settle", { state: "failed", at: now(), error: message });
      this.progress$.next({
        episode: null,
        stage: "settle",
        state: "failed",
        error: message,
      });
      return { state: "failed", error: message };
    }
  }

  /** One take's contact index, with the settled sensors; done again when they (or the file) changed. */
  private async runIndex(path: string, outcome: EpisodeOutcome): Promise<EpisodeOutcome> {
    const record = this.state.episode(basename(path, ".h5")).index;
    if (this.isDone(path, "index", record)) {
      this.emit(path, "index", "skipped");
      return { ...outcome, skipped: [...outcome.skipped, "index"] };
    }
    const ran = await this.runOnPool(path, "index", () =>
      stageTask("index", path, this.options.detect, this.pause.flag),
    );
    if ("error" in ran) {
      const failed: EpisodeOutcome = { ...outcome, state: "failed", error: ran.error };
      return ran.contentFault ? this.quarantineAfter(path, "index", ran.error, failed) : failed;
    }
    this.record(path, "index", { state: "done", at: now(), result: ran.result, ...fileOf(path) });
    this.emit(path, "index", "done");
    return { ...outcome, ran: [...outcome.ran, "index"] };
  }

  /**
   * tasks.json for the session (spec §8), in this thread: it only reads detect's reports. The
   * session's active sensors are already there (settle), so nothing analysed has to be redone.
   */
  private runMetadata(paths: readonly string[]): { state: SessionStep; error?: string } {
    const target = sessionTarget(this.sessionDir);
    if (target === undefined || paths.length === 0) return { state: "nothing to do" };
    try {
      const run = runMetadata([target]);
      const changed = run.sessions.some((s) => s.changed.length > 0);
      this.progress$.next({
        episode: null,
        stage: "metadata",
        state: changed ? "done" : "skipped",
      });
      return { state: changed ? "done" : "skipped" };
    } catch (error) {
      const message = (error as Error).message;
      this.progress$.next({
        episode: null,
        stage: "metadata",
        state: "failed",
        error: message,
      });
      return { state: "failed", error: message };
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
        if (previewsDone(path, this.state.episode(basename(path, ".h5"))[stage], detectAt)) {
          this.emit(path, stage, "skipped");
          continue;
        }
        const ran = await this.runOnPool(path, stage, () =>
          stageTask(
            "previews",
            path,
            { detect: this.options.detect, previews: this.options.previews },
            this.pause.flag,
          ),
        );
        if ("error" in ran) {
          failed.push({ episode: basename(path, ".h5"), error: ran.error });
          continue;
        }
        this.record(path, stage, {
          state: "done",
          at: now(),
          result: ran.result,
          ...(detectAt === undefined ? {} : { detectAt }),
          ...fileOf(path),
        });
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
  private async runOnPool<S extends StageName & EpisodeStage>(
    path: string,
    stage: S,
    task: () => PoolTask<StageResults[S]>,
  ): Promise<Ran<S>> {
    await this.heldWhilePaused(path, stage);
    this.emit(path, stage, "running");
    this.record(path, stage, { state: "running", at: now() });
    try {
      return { result: await this.options.pool.run(task()) };
    } catch (error) {
      const message = (error as Error).message;
      this.record(path, stage, { state: "failed", at: now(), error: message });
      this.emit(path, stage, "failed", message);
      const fields = error instanceof TaskError ? error : undefined;
      const contentFault = fields?.name === "EpisodeError" && isContentFault(String(fields.fields.code));
      return { error: message, contentFault };
    }
  }

  /**
   * A stage after check found the file's content damaged (a chunk that does not decode): the take's
   * chain stops and the file is quarantined as check would have done, its bytes untouched. When it
   * cannot be renamed it stays, reported.
   */
  private quarantineAfter(
    path: string,
    stage: EpisodeStage | "index",
    error: string,
    outcome: EpisodeOutcome,
  ): EpisodeOutcome {
    try {
      const quarantinedAs = quarantine(path);
      if (stage !== "index")
        this.record(path, stage, { state: "quarantined", at: now(), result: { quarantinedAs }, error });
      return { ...outcome, state: "quarantined", error };
    } catch (failure) {
      if (!(failure instanceof QuarantineError)) throw failure;
      return { ...outcome, state: "failed", error: `${error}; ${failure.message}` };
    }
  }

  private async runDetect(
    paths: readonly string[],
  ): Promise<{ state: SessionStep; error?: string; corrupt?: [string, string][] }> {
    const inputs = detectInputs(paths);
    const verdicts = manualVerdicts(paths);
    const sensors = declaredSensors(this.sessionDir);
    if (detectDone(this.state.session("detect"), inputs, verdicts, sensors)) {
      this.progress$.next({ episode: null, stage: "detect", state: "skipped" });
      return { state: "skipped" };
    }
    await this.heldWhilePaused("session", "detect");
    this.progress$.next({ episode: null, stage: "detect", state: "running" });
    try {
      const result = await this.options.pool.run(
        stageTask("detect", paths, this.options.detect, this.pause.flag),
      );
      this.state.setSession("detect", { state: "done", at: now(), result, inputs, verdicts, sensors });
      this.progress$.next({ episode: null, stage: "detect", state: "done" });
      const byName = new Map(paths.map((p) => [basename(p, ".h5"), p]));
      const corrupt = result.damaged.flatMap(({ name, error }): [string, string][] => {
        const path = byName.get(name);
        return path === undefined ? [] : [[path, error]];
      });
      return { state: "done", corrupt };
    } catch (error) {
      const message = (error as Error).message;
      this.state.setSession("detect", { state: "failed", at: now(), error: message });
      this.progress$.next({
        episode: null,
        stage: "detect",
        state: "failed",
        error: message,
      });
      return { state: "failed", error: message };
    }
  }

  private isDone(path: string, stage: EpisodeStage, record: StageRecord | undefined): boolean {
    return episodeStageDone(path, stage, record, declaredSensors(this.sessionDir));
  }

  /** Before a heavy stage starts: says it is paused and waits for the switch (check is light). */
  private async heldWhilePaused(path: string, stage: EpisodeStage | "settle" | "detect"): Promise<void> {
    if (stage === "check" || !this.pause.paused) return;
    this.emit(path, stage, "paused");
    while (this.pause.paused) await new Promise((resolve) => setTimeout(resolve, 100));
  }

  private record(path: string, stage: EpisodeStage, record: StageRecord): void {
    this.state.setEpisode(path, stage, record);
  }

  private emit(path: string, stage: string, state: StageState, error?: string): void {
    this.progress$.next({
      episode: path === "session" ? null : (episodeNumber(path) ?? null),
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
