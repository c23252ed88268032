import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateEpisode } from "../../sim/episode/generate.js";
import { presetSession } from "../../sim/episode/presets.js";
import { defaultConfig } from "../../config/index.js";
import type { ProgressMessage } from "../../sinks/hubMessages.js";
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
    const events: ProgressMessage[] = [];
    const scheduler = new SessionScheduler(join(episodes[0] as string, ".."), {
      detect: defaultConfig().detect,
      previews: defaultConfig().previews,
      pool,
      jobs: 1,
      pause,
    });
    scheduler.progress$.subscribe((p) => events.push(p));
    const seen = (episode: string, stage: string, state: string) =>
      events.some((e) => e.episode === episode && e.stage === stage && e.state === state);

    pause.pause(); // a take is recording when the session's stages are asked for
    const run = scheduler.run(episodes, { detect: false });
    await waitFor(() => seen("episode_000", "analyse", "paused"), "the analysis pass to hold", 20_000);
    expect(seen("episode_000", "check", "done")).toBe(true); // the integrity check is light: it ran
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(seen("episode_000", "analyse", "running")).toBe(false);
    expect(Object.values(h5Digest(episodes[0] as string)).some((d) => d.filters.includes(BLOSC))).toBe(true);

    pause.resume(); // the take ended
    await waitFor(() => seen("episode_001", "compress", "running"), "the second episode's compress", 60_000);
    pause.pause(); // the next take starts while compress runs: it stops between datasets
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(seen("episode_001", "compress", "done")).toBe(false);
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
