import { existsSync } from "node:fs";
import { join } from "node:path";
import { userCacheDir } from "../config/userCacheDir.js";
import { generateEpisode } from "../sim/episode/generate.js";
import { presetSession } from "../sim/episode/presets.js";

/** Seed whose first every-fault take reproduces the shared faulted fixture's faults frame for frame. */
const DEMO_SEED = 206;

/**
 * The embedded default of `rigwatch replay`: a faulted take generated once into the user's cache
 * (flicker, translation and rotation glitches, an OT gap, a held pose), laid out like a dataset.
 */
export async function demoEpisode(log: (line: string) => void): Promise<string> {
  const session = presetSession("every-fault", { seed: DEMO_SEED });
  const path = join(userCacheDir(), "demo", "data", session.task, session.date, "episode_000.h5");
  if (!existsSync(path)) {
    log(`generating the demo take (10 s, 480×640, BLOSC) into ${path}`);
    await generateEpisode(session.episodes[0] as (typeof session.episodes)[number], path);
  }
  return path;
}
