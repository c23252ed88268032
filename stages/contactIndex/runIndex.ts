import type { Config } from "../../config/index.js";
import { EpisodeError } from "../../hw/h5/index.js";
import { OutputWriteError } from "../../sinks/OutputWriteError.js";
import { TorchWriteError } from "../../sinks/torch/index.js";
import { episodeKey } from "../dataset/index.js";
import { declaredActiveSensors } from "../detect/declaredSensors.js";
import { type IndexedEpisode, indexEpisode } from "./indexEpisode.js";
import { processedDir } from "../dataset/index.js";

export interface IndexRunOptions {
  readonly detect: Config["detect"];
  /** One folder for every output instead of `<root>/processed/<mode>/<task>/<date>/`. */
  readonly out?: string;
  /** `<mode>` of the processed layout (default "contact"). */
  readonly mode?: string;
  readonly tasksPath?: string;
  readonly onEpisode?: (key: string, outcome: IndexedEpisode | IndexFailure) => void;
}

/** Why an episode got no index: its file, or an output that could not be written. */
export type IndexFailure = EpisodeError | OutputWriteError | TorchWriteError;

export interface IndexRun {
  readonly indexed: IndexedEpisode[];
  readonly failed: { key: string; path: string; error: IndexFailure }[];
}

/**
 * `rigwatch index`: the contact index of every episode, one after another. An episode that cannot be
 * read (EpisodeError) or whose outputs cannot be written is reported and skipped; nothing is left
 * half-written for it, and the others go on.
 */
export async function runIndex(paths: readonly string[], options: IndexRunOptions): Promise<IndexRun> {
  const indexed: IndexedEpisode[] = [];
  const failed: IndexRun["failed"] = [];
  for (const path of paths) {
    const key = episodeKey(path);
    try {
      const activeSensors = declaredActiveSensors(path, options.tasksPath);
      const episode = await indexEpisode(path, {
        key,
        detect: options.detect,
        outDir: processedDir(path, {
          ...(options.out === undefined ? {} : { out: options.out }),
          ...(options.mode === undefined ? {} : { mode: options.mode }),
        }),
        ...(activeSensors ? { activeSensors } : {}),
      });
      indexed.push(episode);
      options.onEpisode?.(key, episode);
    } catch (error) {
      if (
        !(error instanceof EpisodeError) &&
        !(error instanceof OutputWriteError) &&
        !(error instanceof TorchWriteError)
      )
        throw error;
      failed.push({ key, path, error });
      options.onEpisode?.(key, error);
    }
  }
  return { indexed, failed };
}
