import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import sharp from "sharp";
import { defaultConfig } from "../../config/index.js";
import { generateEpisode } from "../../sim/episode/generate.js";
import type { Scenario } from "../../sim/episode/scenario.js";
import { runDetect } from "../../stages/detect/runDetect.js";
import { runIndex } from "../../stages/contactIndex/index.js";
import { runMetadata, type SessionTarget, sessionTarget } from "../../stages/metadata/index.js";

export const detect = defaultConfig().detect;

/** Short small takes (3 s, 128×160, GZIP as compress leaves them): the stages run in well under a second each. */
const take = (seed: number, date: string, faults: Scenario["faults"] = []): Scenario => ({
  seed,
  seconds: 3,
  height: 128,
  width: 160,
  compression: "gzip",
  createdAt: `${date}T05:40:00`,
  faults,
});

/** Two sessions of task motherboard: one clean take on 05-30; a flicker and a trimmed take on 05-31. */
export const EPISODES = [
  { date: "2026-05-30", stem: "episode_000", scenario: take(21, "2026-05-30") },
  {
    date: "2026-05-31",
    stem: "episode_000",
    scenario: take(22, "2026-05-31", [{ type: "led_flicker", side: "left", start: 31 }]),
  },
  {
    date: "2026-05-31",
    stem: "episode_001",
    scenario: take(23, "2026-05-31", [{ type: "ot_uninitialised_prefix", frames: 30 }]),
  },
] as const;

export const h5Of = (root: string, date: string, stem: string) =>
  join(root, "data", "motherboard", date, `${stem}.h5`);

/**
 * A dataset that passes every preflight item, made by the real stages: generated takes, detect once
 * over the whole dataset, the contact index, metadata for both sessions. Only the preview GIFs are
 * stand-ins (tiny real GIFs): the preview stage is not part of this check.
 */
export async function buildCompleteDataset(root: string): Promise<string[]> {
  const paths: string[] = [];
  for (const e of EPISODES) {
    const path = h5Of(root, e.date, e.stem);
    await generateEpisode(e.scenario, path);
    paths.push(path);
  }
  await runDetect(paths, { out: join(root, "figures", "dataset_figures"), detect });
  await runIndex(paths, { detect });
  for (const e of EPISODES) {
    const gif = join(root, "figures", "episode_previews", "motherboard", e.date, `${e.stem}.gif`);
    mkdirSync(dirname(gif), { recursive: true });
    await sharp({ create: { width: 8, height: 6, channels: 3, background: { r: 40, g: 90, b: 160 } } })
      .gif()
      .toFile(gif);
  }
  const sessions = [...new Set(paths.map((p) => dirname(p)))];
  runMetadata(sessions.map((dir) => sessionTarget(dir) as SessionTarget));
  return paths;
}

/** The same take as BLOSC, the recorder's own filter (needs a plugin outside rigwatch). */
export async function bloscCopy(path: string): Promise<void> {
  await generateEpisode({ ...EPISODES[0].scenario, compression: "blosc" }, path);
}
