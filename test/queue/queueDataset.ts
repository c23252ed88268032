import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generateEpisode } from "../../sim/episode/generate.js";
import { presetSession } from "../../sim/episode/presets.js";
import type { Scenario } from "../../sim/episode/scenario.js";

export interface QueueDataset {
  readonly root: string;
  /** Session folders, in the order `process` is given them. */
  readonly sessions: string[];
  /** The truncated take of the first session (check quarantines it). */
  readonly corrupt: string;
}

/**
 * A dataset of two sessions laid out as on the rig (short takes at the rig's 480×640, which the
 * previews need): 2026-05-31 with two clean takes, one with every
 * fault (freezes, spikes, teleports: the reports and clips have something in them) and a truncated
 * file; 2026-06-01 with two clean takes. Recorded as BLOSC, as the recorder writes them.
 */
export async function makeQueueDataset(root: string): Promise<QueueDataset> {
  const clean = presetSession("clean", { seed: 5, seconds: 2 });
  const faulty = presetSession("every-fault", { seed: 206, seconds: 4 });
  const later = presetSession("clean", { seed: 9, seconds: 2 });
  const first = join(root, "data", clean.task, "2026-05-31");
  const second = join(root, "data", clean.task, "2026-06-01");
  const takes: [string, Scenario][] = [
    ...[...clean.episodes, faulty.episodes[0] as Scenario].map((s, i): [string, Scenario] => [
      join(first, `episode_00${i}.h5`),
      s,
    ]),
    ...later.episodes.map((s, i): [string, Scenario] => [
      join(second, `episode_00${i}.h5`),
      { ...s, createdAt: `2026-06-01T09:0${i}:00` },
    ]),
  ];
  for (const [path, scenario] of takes) await generateEpisode({ ...scenario, task: clean.task }, path);
  const corrupt = join(first, "episode_009.h5");
  const bytes = readFileSync(takes[0]?.[0] as string);
  writeFileSync(corrupt, bytes.subarray(0, Math.floor(bytes.length / 3)));
  return { root, sessions: [first, second], corrupt };
}
