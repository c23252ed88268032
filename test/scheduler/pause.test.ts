import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
  }, 60_000);
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

    pause.pause(); // a take is recording when the session's stages are asked for
    const run = scheduler.run(episodes, { detect: false });
    await waitFor(() => seen(0, "compress", "paused"), "compress to hold", 20_000);
    expect(seen(0, "check", "done")).toBe(true); // the integrity check is light: it ran
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(seen(0, "compress", "running")).toBe(false);
    expect(Object.values(h5Digest(episodes[0] as string)).some((d) => d.filters.includes(BLOSC))).toBe(true);

    pause.resume(); // the take ended
    await waitFor(() => seen(1, "index", "running"), "the second episode's index", 60_000);
    pause.pause(); // the next take starts while index runs: it stops between frames
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(seen(1, "index", "done")).toBe(false);
    pause.resume();
    const outcome = await run;
    expect(outcome.episodes.map((e) => [e.episode, e.state, e.ran])).toEqual([
      ["episode_000", "done", ["check", "compress", "index"]],
      ["episode_001", "done", ["check", "compress", "index"]],
    ]);
    expect(outcome.detect).toBe("nothing to do");
  }, 180_000);
});
