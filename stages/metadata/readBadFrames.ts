import type { Interval } from "../../detectors/intervals.js";
import { PUBLISHED_LISTS, type PublishedList, ReportFileError } from "../../sinks/reports/index.js";
import { describeJson } from "./describeJson.js";
import { isJsonObject } from "./Json.js";
import { readJsonFile } from "./readJsonFile.js";

/** One episode of `bad_frames.json` (spec §5): post-trim, inclusive [a, b] frame intervals. */
export interface BadFramesEpisode {
  readonly nFrames: number;
  readonly durationS: number;
  readonly lists: Readonly<Record<PublishedList, readonly Interval[]>>;
  readonly totalBadFrames: number;
}

export interface BadFramesReport {
  /** By report key, `<date>/episode_NNN`. */
  readonly episodes: ReadonlyMap<string, BadFramesEpisode>;
  readonly trimOffsets: ReadonlyMap<string, number>;
  readonly summary: {
    readonly nEpisodes: number;
    readonly totalFrames: number;
    readonly totalBadFrames: number;
  };
}

/**
 * Reads detect's `bad_frames.json` (undefined when missing). Anything detect would not have written
 * is a ReportFileError naming the key, so a hand-edited report cannot slip wrong numbers into a note.
 */
export function readBadFrames(path: string): BadFramesReport | undefined {
  const value = readJsonFile(path);
  if (value === undefined) return undefined;
  const fail = (key: string, expected: string, found: unknown): never => {
    throw new ReportFileError(path, `${key} must be ${expected}, found ${describeJson(found)}`);
  };
  const count = (key: string, v: unknown): number =>
    Number.isInteger(v) && (v as number) >= 0 ? (v as number) : fail(key, "a frame count", v);
  if (!isJsonObject(value)) return fail("the top level", "an object", value);
  const { episodes, trim_offsets: trims, summary } = value;
  if (!isJsonObject(episodes)) return fail("episodes", "an object", episodes);
  if (!isJsonObject(trims)) return fail("trim_offsets", "an object", trims);
  if (!isJsonObject(summary)) return fail("summary", "an object", summary);

  const byKey = new Map<string, BadFramesEpisode>();
  for (const [key, entry] of Object.entries(episodes)) {
    const where = `episodes[${JSON.stringify(key)}]`;
    if (!isJsonObject(entry)) return fail(where, "an object", entry);
    const lists = {} as Record<PublishedList, Interval[]>;
    for (const list of PUBLISHED_LISTS) {
      const intervals = entry[list];
      const ok =
        Array.isArray(intervals) &&
        intervals.every(
          (i) =>
            Array.isArray(i) &&
            i.length === 2 &&
            Number.isInteger(i[0]) &&
            Number.isInteger(i[1]) &&
            (i[0] as number) >= 0 &&
            (i[0] as number) <= (i[1] as number),
        );
      if (!ok) return fail(`${where}.${list}`, "a list of [a, b] frame intervals", intervals);
      lists[list] = intervals as unknown as Interval[];
    }
    const durationS = entry.duration_s;
    if (typeof durationS !== "number" || !(durationS >= 0))
      return fail(`${where}.duration_s`, "seconds", durationS);
    byKey.set(key, {
      nFrames: count(`${where}.n_frames`, entry.n_frames),
      durationS,
      lists,
      totalBadFrames: count(`${where}.total_bad_frames`, entry.total_bad_frames),
    });
  }
  const trimOffsets = new Map<string, number>();
  for (const [key, n] of Object.entries(trims))
    trimOffsets.set(key, count(`trim_offsets[${JSON.stringify(key)}]`, n));
  return {
    episodes: byKey,
    trimOffsets,
    summary: {
      nEpisodes: count("summary.n_episodes", summary.n_episodes),
      totalFrames: count("summary.total_frames", summary.total_frames),
      totalBadFrames: count("summary.total_bad_frames", summary.total_bad_frames),
    },
  };
}
