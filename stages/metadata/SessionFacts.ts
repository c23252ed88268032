import type { Interval } from "../../detectors/intervals.js";
import type { Side } from "../../detectors/samples.js";
import type { PublishedList } from "../../sinks/reports/index.js";

/** What detect's reports say about one analysed episode of the session. */
export interface EpisodeFacts {
  /** `episode_NNN` */
  readonly name: string;
  /** Post-trim frames. */
  readonly nFrames: number;
  readonly durationS: number;
  readonly trimOffset: number;
  readonly lists: Readonly<Record<PublishedList, readonly Interval[]>>;
  readonly totalBadFrames: number;
  readonly activeSensors: readonly Side[];
  readonly drift: Readonly<Record<Side, number | null>>;
  readonly driftWarning: boolean;
}

/** One session (`data/<task>/<date>/`) as the metadata stage summarises it. */
export interface SessionFacts {
  readonly task: string;
  readonly date: string;
  /** Analysed episodes, by name. */
  readonly episodes: readonly EpisodeFacts[];
  /** `episode_NNN.h5` files detect could not read (their CSV row's integrity code). */
  readonly unreadable: readonly { readonly name: string; readonly integrity: string }[];
  /** `episode_NNN.h5.corrupt` files: quarantined by check. */
  readonly quarantined: readonly string[];
}

/** Episode files of the session that later stages use (quarantined ones are not). */
export function episodeCount(facts: SessionFacts): number {
  return facts.episodes.length + facts.unreadable.length;
}

/** Sides active in any analysed episode, in left, right order. */
export function detectedActiveSensors(facts: SessionFacts): Side[] {
  const active = new Set(facts.episodes.flatMap((e) => e.activeSensors));
  return (["left", "right"] as const).filter((side) => active.has(side));
}
