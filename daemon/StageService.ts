import { existsSync } from "node:fs";
import { dirname } from "node:path";
import type { Logger } from "pino";
import type { Config } from "../config/index.js";
import type { StageProgress } from "../stages/scheduler/StageProgress.js";
import { WorkerPool } from "../stages/pool/index.js";
import { PauseSwitch } from "../stages/scheduler/PauseSwitch.js";
import { SessionScheduler } from "../stages/scheduler/SessionScheduler.js";
import { findEpisodes } from "../stages/dataset/index.js";
import type { LifecycleEvent, TakeStateName } from "./TakeState.js";

/**
 * The daemon's end of the stage scheduler: a closed take gets its own stages (check → analysis pass →
 * compress) at once, a closed session the rest (its active sensors, each take's index, the detect
 * reports, previews, tasks.json), none of which decodes the takes again; heavy work holds while a
 * take records. Runs one after another (they share each session's state file) on one worker pool.
 */
export class StageService {
  readonly pause = new PauseSwitch();
  private readonly pool: WorkerPool;
  private queue: Promise<void> = Promise.resolve();
  private pending = 0;
  private failures = 0;

  constructor(
    private readonly config: Pick<Config, "detect" | "previews" | "stages">,
    private readonly log: Logger,
    private readonly progress: (progress: StageProgress) => void,
  ) {
    this.pool = new WorkerPool({ size: config.stages.jobs });
  }

  onTakeState(state: TakeStateName): void {
    if (state === "take") this.pause.pause();
    else this.pause.resume();
  }

  onLifecycle(event: LifecycleEvent): void {
    if (event.type === "episode_closed") {
      if (!existsSync(event.path)) {
        this.log.warn({ path: event.path }, "closed take's file not found here; no stages run for it");
        // The page says so too: a take whose stages never run must not look like one still waiting.
        this.progress({
          episode: event.episode,
          stage: "stages",
          state: "skipped",
          error: "file not found on this machine",
        });
        return;
      }
      this.enqueue(dirname(event.path), [event.path], false);
    } else {
      const dirs = new Set(event.episodes.filter((p) => existsSync(p)).map((p) => dirname(p)));
      for (const dir of dirs)
        this.enqueue(
          dir,
          findEpisodes([dir]).filter((p) => dirname(p) === dir),
          true,
        );
    }
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
    this.pause.resume();
    await this.pool.close();
  }

  private enqueue(dir: string, episodes: string[], detect: boolean): void {
    this.pending++;
    this.queue = this.queue.then(async () => {
      const scheduler = new SessionScheduler(dir, {
        detect: this.config.detect,
        previews: this.config.previews,
        pool: this.pool,
        jobs: this.config.stages.jobs,
        pause: this.pause,
      });
      scheduler.progress$.subscribe((p) => this.progress(p));
      try {
        const outcome = await scheduler.run(episodes, { detect });
        if (outcome.failed > 0) this.failures++;
        this.log.info({ session: dir, outcome }, `stages ran for ${episodes.length} episode(s)`);
      } catch (error) {
        this.failures++;
        this.log.error({ err: error, session: dir }, "stage scheduler failed");
      } finally {
        this.pending--;
      }
    });
  }
}
