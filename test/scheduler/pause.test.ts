import { join } from "node:path";
import { filter, firstValueFrom } from "rxjs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { generateEpisode } from "../../sim/episode/generate.js";
import { presetSession } from "../../sim/episode/presets.js";
import { defaultConfig } from "../../config/index.js";
import type { StageProgress } from "../../stages/scheduler/StageProgress.js";
import { WorkerPool } from "../../stages/pool/index.js";
import { PauseSwitch } from "../../stages/scheduler/PauseSwitch.js";
import { SessionScheduler } from "../../stages/scheduler/SessionScheduler.js";
import { tempDir } from "../helpers/paths.js";
import { waitFor } from "../helpers/waitFor.js";
import { h5Digest } from "./helpers.js";

const BLOSC = 32001;

describe("heavy stages hold while a take records", () => {
  const dir = tempDir();
  const pool = new WorkerPool({ size: 1 });
  let episodes: string[] = [];

  beforeAll(async () => {
    const session = presetSession("clean", { seed: 9, seconds: 3 });
    const dateDir = join(dir.path, "data", session.task, session.date);
    episodes = [join(dateDir, "episode_000.h5"), join(dateDir, "episode_001.h5")];
    for (const [i, path] of episodes.entries()) await generateEpisode(session.episodes[i] as never, path);
  }, 180_000); // two takes generated: over a minute at a load average of 22
  afterAll(async () => {
    await pool.close();
    dir.cleanup();
  });

  it("does not start a heavy stage during a take, and stops a running one between frames until the take ends", async () => {
    const pause = new PauseSwitch();
    const events: StageProgress[] = [];
    const scheduler = new SessionScheduler(join(episodes[0] as string, ".."), {
      detect: defaultConfig().detect,
      previews: defaultConfig().previews,
      pool,
      jobs: 1,
      pause,
    });
    scheduler.progress$.subscribe((p) => events.push(p));
    const seen = (episode: number, stage: string, state: string) =>
      events.some((e) => e.episode === episode && e.stage === stage && e.state === state);
    const next = (episode: number, stage: string, state: string) =>
      firstValueFrom(
        scheduler.progress$.pipe(
          filter((e) => e.episode === episode && e.stage === stage && e.state === state),
        ),
      );

    // A take is recording when the session's stages are asked for. The scheduler looks at the switch
    // every 100 ms of its timer: in virtual time, a minute of take is 600 looks and no wait.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    pause.pause();
    const held = next(0, "analyse", "paused");
    const run = scheduler.run(episodes, { detect: false });
    await held;
    expect(seen(0, "check", "done")).toBe(true); // the integrity check is light: it ran
    await vi.advanceTimersByTimeAsync(60_000);
    expect(seen(0, "analyse", "running")).toBe(false);
    expect(Object.values(h5Digest(episodes[0] as string)).some((d) => d.filters.includes(BLOSC))).toBe(true);
    pause.resume(); // the take ended: the next look lets the analysis pass start
    await vi.advanceTimersByTimeAsync(100);
    vi.useRealTimers();

    // The next take starts the moment the second episode's compress is handed to the worker, so the
    // worker finds the switch on between two datasets and stops there, whatever the machine's speed.
    scheduler.progress$
      .pipe(filter((e) => e.episode === 1 && e.stage === "compress" && e.state === "running"))
      .subscribe(() => pause.pause());
    await next(1, "compress", "running");
    // Parked in Atomics.wait on the switch: a notify finds it there (and it goes back to waiting).
    await waitFor(() => Atomics.notify(pause.flag, 0, 1) === 1, "compress to hold between datasets", 60_000);
    expect(seen(1, "compress", "done")).toBe(false);
    pause.resume();
    const outcome = await run;
    // The rest (the session's active sensors, index, reports, previews) waits for the session's close.
    expect(outcome.episodes.map((e) => [e.episode, e.state, e.ran])).toEqual([
      ["episode_000", "done", ["check", "analyse", "compress"]],
      ["episode_001", "done", ["check", "analyse", "compress"]],
    ]);
    expect(outcome.detect).toBe("nothing to do");
  }, 180_000);
});
