import { readdirSync } from "node:fs";

const EPISODE = /^(episode_\d+)\.h5$/;
const QUARANTINED = /^(episode_\d+)\.h5\.corrupt$/;

/** The episodes of a session folder, by stem (`episode_007`), sorted. */
export interface SessionFiles {
  readonly episodes: readonly string[];
  /** Renamed `episode_NNN.h5.corrupt` by check: left out of every later stage. */
  readonly quarantined: readonly string[];
}

export function sessionFiles(dateDir: string): SessionFiles {
  const episodes: string[] = [];
  const quarantined: string[] = [];
  for (const entry of readdirSync(dateDir, { withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const episode = EPISODE.exec(entry.name)?.[1];
    const corrupt = QUARANTINED.exec(entry.name)?.[1];
    if (episode !== undefined) episodes.push(episode);
    if (corrupt !== undefined) quarantined.push(corrupt);
  }
  return { episodes: episodes.sort(), quarantined: quarantined.sort() };
}
