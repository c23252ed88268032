import { realpathSync, statSync } from "node:fs";
import type { Logger } from "pino";
import type { Config } from "../config/index.js";
import type { AlarmEvent } from "../detectors/alarm.js";
import { AlarmLatch } from "../detectors/live/AlarmLatch.js";
import { curatedEpisode, findEpisodes, resolveDataRoots } from "../stages/dataset/index.js";
import { writeLockOn } from "../stages/integrity/writeLock.js";
import { WorkerPool } from "../stages/pool/index.js";
import { PauseSwitch } from "../stages/scheduler/PauseSwitch.js";
import { SessionScheduler } from "../stages/scheduler/SessionScheduler.js";
import { QueuedStages } from "./QueuedStages.js";
import type { StageProgress } from "../stages/scheduler/StageProgress.js";
import type { LifecycleEvent, TakeStateName } from "./TakeState.js";

export interface StageServiceOptions {
  readonly config: Pick<Config, "detect" | "previews" | "stages" | "queue">;
  readonly log: Logger;
  /** Each stage's progress, for /ws. */
  readonly progress: (progress: StageProgress) => void;
  /** The refusal alarm (raised when a path from an input is refused, cleared by the next accepted take). */
  readonly alarm?: (event: AlarmEvent) => void;
  /** Where refusals go (counted, logged at a bounded rate); without it each is a log line. */
  readonly refused?: (reason: string, message: string) => void;
  /** The path of the take the recorder is recording now, if any: never staged while it is open. */
  readonly openTake?: () => string | undefined;
  /** Source-time clock of the alarms (seconds); default the wall clock. */
  readonly now?: () => number;
  /** How often a file not yet settled is looked at again (ms); default 500. */
  readonly settlePollMs?: number;
  /** How long a hand-off to `stages.queue` may wait for Redis (ms); default 5000. */
  readonly queueTimeoutMs?: number;
}

/**
 * The daemon's end of the stage scheduler: a closed take gets its own stages (check → analysis pass →
 * compress) at once, a closed session the rest (its active sensors, each take's index, the detect
 * reports, previews, tasks.json), none of which decodes the takes again; heavy work holds while a
 * take records. Runs one after another (they share each session's state file) on one worker pool.
 *
 * It only touches what it curates: every path a take event names is resolved and must be an
 * `episode_NNN.h5` of a session folder under `stages.dataRoots` (curatedEpisode); anything else is
 * refused with a `stage_refused` alarm and a log line, and nothing is renamed or created for it. A
 * take's stages wait until its file has settled: not the take being recorded, no process holding it
 * open for writing, unchanged for `stages.settleS`.
 */
export class StageService {
  readonly pause = new PauseSwitch();
  private readonly pool: WorkerPool;
  private readonly roots: string[];
  private readonly refusal = new AlarmLatch("stage_refused", "stages", "warning", 0);
  /** `stages.queue` could not take a session (it ran here instead); cleared by the next hand-off. */
  private readonly queueDown = new AlarmLatch("stage_queue", "stages", "warning", 0);
  /** The stage queue, when `stages.queue` is set. */
  private readonly queued: QueuedStages | undefined;
  private queue: Promise<void> = Promise.resolve();
  private closed = false;
  private pending = 0;
  private failures = 0;
  /** Paths refused so far (for /ws). */
  refusedCount = 0;

  constructor(private readonly options: StageServiceOptions) {
    this.pool = new WorkerPool({ size: options.config.stages.jobs });
    this.roots = resolveDataRoots(options.config.stages.dataRoots);
    const url = options.config.stages.queue;
    this.queued =
      url === ""
        ? undefined
        : new QueuedStages({
            url,
            config: options.config,
            log: options.log,
            progress: (progress) => {
              if (progress.state === "failed") this.failures++;
              options.progress(progress);
            },
            ...(options.queueTimeoutMs === undefined ? {} : { timeoutMs: options.queueTimeoutMs }),
          });
  }

  onTakeState(state: TakeStateName): void {
    if (state === "take") this.pause.pause();
    else this.pause.resume();
  }

  onLifecycle(event: LifecycleEvent): void {
    if (event.type === "episode_closed") {
      const path = this.curated(event.path, event.episode);
      if (path === undefined) return;
      if (this.queued === undefined) this.enqueue(path.sessionDir, () => [path.path], false);
      // With a stage queue the take's stages are the first jobs of its session's flow, at its close;
      // a queue that is down is said now, while the operator can still act on it.
      else void this.probeQueue(path.sessionDir);
      return;
    }
    const dirs = new Set<string>();
    for (const p of event.episodes) {
      const path = this.curated(p);
      if (path !== undefined) dirs.add(path.sessionDir);
    }
    // A session folder is listed when its stages run (links and non-files are never taken).
    for (const dir of dirs) this.enqueue(dir, () => findEpisodes([dir]), true);
  }

  /** Runs queued or running, and runs that failed since start (for /metrics). */
  get figures(): { readonly queued: number; readonly failures: number } {
    return { queued: this.pending, failures: this.failures };
  }

  /** Resolves when every queued run has finished. */
  idle(): Promise<void> {
    return this.queue;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.pause.resume();
    await this.queued?.close();
    await this.pool.close();
  }

  /** The resolved episode and its session, or undefined when refused (alarm and log line). */
  private curated(path: string, episode?: number): { path: string; sessionDir: string } | undefined {
    const verdict = curatedEpisode(path, this.roots);
    const now = this.options.now?.() ?? Date.now() / 1000;
    if (verdict.ok) {
      const cleared = this.refusal.clear(now, { reason: "a take's file was accepted" });
      if (cleared) this.options.alarm?.(cleared);
      return verdict;
    }
    if (verdict.reason === "not_found") {
      // Nothing here to touch (the recorder writes elsewhere, or the file is gone): said, not alarmed.
      this.options.log.warn(
        { path: path.slice(0, 300) },
        "closed take's file not found here; no stages run for it",
      );
      // The page says so too: a take whose stages never run must not look like one still waiting.
      if (episode !== undefined)
        this.options.progress({
          episode,
          stage: "stages",
          state: "skipped",
          error: "file not found on this machine",
        });
      return undefined;
    }
    this.refusedCount++;
    if (this.options.refused) this.options.refused(verdict.reason, verdict.message);
    else
      this.options.log.warn(
        { path: path.slice(0, 300), reason: verdict.reason },
        `stages refused a path: ${verdict.message}`,
      );
    const raised = this.refusal.bad(now, {
      path: path.slice(0, 300),
      reason: verdict.reason,
      message: verdict.message,
    });
    if (raised) this.options.alarm?.(raised);
    return undefined;
  }

  private enqueue(dir: string, episodesOf: () => string[], detect: boolean): void {
    this.pending++;
    this.queue = this.queue.then(async () => {
      const episodes = episodesOf();
      for (const path of episodes) await this.settled(path);
      if (this.closed) {
        this.pending--;
        return;
      }
      if (detect && this.queued !== undefined && (await this.handOff(dir, episodes))) {
        this.pending--;
        return;
      }
      const scheduler = new SessionScheduler(dir, {
        detect: this.options.config.detect,
        previews: this.options.config.previews,
        pool: this.pool,
        jobs: this.options.config.stages.jobs,
        pause: this.pause,
      });
      scheduler.progress$.subscribe((p) => this.options.progress(p));
      try {
        const outcome = await scheduler.run(episodes, { detect });
        if (outcome.failed > 0) this.failures++;
        this.options.log.info({ session: dir, outcome }, `stages ran for ${episodes.length} episode(s)`);
        // Written to again after it settled (a recorder reopening it): its turn comes once it settles.
        const busy = outcome.episodes.filter((e) => e.state === "busy").map((e) => e.episode);
        if (busy.length > 0 && !this.closed)
          this.enqueue(dir, () => episodes.filter((p) => busy.some((b) => p.endsWith(`/${b}.h5`))), detect);
      } catch (error) {
        this.failures++;
        this.options.log.error({ err: error, session: dir }, "stage scheduler failed");
      } finally {
        this.pending--;
      }
    });
  }

  /** Whether the stage queue answers now: the `stage_queue` alarm raised when not, cleared when it does. */
  private async probeQueue(dir: string): Promise<void> {
    try {
      await (this.queued as QueuedStages).ping();
      this.queueUp();
    } catch (error) {
      this.queueIsDown(
        dir,
        error,
        "the session will run on the daemon's own pool unless the queue is back at its close",
      );
    }
  }

  private queueUp(): void {
    const cleared = this.queueDown.clear(this.now(), { reason: "the stage queue answered" });
    if (cleared) this.options.alarm?.(cleared);
  }

  private queueIsDown(dir: string, error: unknown, fallback: string): void {
    const message = error instanceof Error ? error.message : String(error);
    this.options.log.error(
      { session: dir, queue: this.options.config.stages.queue, err: message },
      `the stage queue cannot be reached: ${fallback}`,
    );
    const raised = this.queueDown.bad(this.now(), {
      queue: this.options.config.stages.queue,
      session: dir,
      error: message,
      fallback,
    });
    if (raised) this.options.alarm?.(raised);
  }

  private now(): number {
    return this.options.now?.() ?? Date.now() / 1000;
  }

  /**
   * Gives a closed session to the stage queue; false (a `stage_queue` alarm, a log line) when Redis
   * cannot be reached or refuses: the caller then runs the session on the daemon's pool, so a queue
   * that is down delays nothing and loses nothing.
   */
  private async handOff(dir: string, episodes: readonly string[]): Promise<boolean> {
    try {
      const { run, outcome } = await (this.queued as QueuedStages).handOff(dir, episodes);
      this.options.log.info(
        { session: dir, run, outcome },
        `stages handed to the queue for ${episodes.length} episode(s)`,
      );
      this.queueUp();
      return true;
    } catch (error) {
      this.queueIsDown(dir, error, "the session runs on the daemon's own pool");
      return false;
    }
  }

  /**
   * Waits until `path` is no longer being written: not the take being recorded, no write lock on it,
   * and not modified for `stages.settleS`. Says once that it is waiting.
   */
  private async settled(path: string): Promise<void> {
    const settleMs = this.options.config.stages.settleS * 1000;
    let said = false;
    for (;;) {
      if (this.closed) return;
      const why = this.unsettled(path, settleMs);
      if (why === undefined) return;
      if (!said) this.options.log.info({ path }, `waiting for ${path} to settle: ${why}`);
      said = true;
      await new Promise((resolve) => setTimeout(resolve, this.options.settlePollMs ?? 500));
    }
  }

  private unsettled(path: string, settleMs: number): string | undefined {
    const open = this.options.openTake?.();
    if (open !== undefined && resolved(open) === path) return "the recorder is recording it";
    const lock = writeLockOn(path);
    if (lock) return `process ${lock.pid} holds it open for writing`;
    let mtimeMs: number;
    try {
      mtimeMs = statSync(path).mtimeMs;
    } catch {
      return undefined; // gone: the scheduler reports it
    }
    const age = Date.now() - mtimeMs;
    return age < settleMs ? `modified ${Math.max(0, Math.round(age))} ms ago` : undefined;
  }
}

function resolved(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}
