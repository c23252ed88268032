import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { writeFileAtomic } from "../../../sinks/atomicWrite.js";
import { OutputWriteError } from "../../../sinks/OutputWriteError.js";
import { detectCacheFile } from "../../dataset/index.js";
import type { TimelineData } from "./timelineData.js";

/**
 * A take's timeline data beside detect's cached result (`.rigwatch/detect/episode_NNN.timeline.json`),
 * under the same inputs key: an unchanged take's timeline is drawn again without reading its images.
 * Written without fsync, like the result: a torn file does not parse, and is a miss.
 */
export class TimelineCache {
  static fileFor(h5Path: string): string {
    return detectCacheFile(h5Path).replace(/\.json$/, ".timeline.json");
  }

  static read(h5Path: string, key: string): TimelineData | undefined {
    const file = TimelineCache.fileFor(h5Path);
    if (!existsSync(file)) return undefined;
    try {
      const cached = JSON.parse(readFileSync(file, "utf8")) as { key?: string; timeline?: TimelineData };
      return cached.key === key ? cached.timeline : undefined;
    } catch {
      return undefined; // unreadable: analyse again
    }
  }

  /** Skipped where the session folder may not be written (read-only, full): a cache, never the only copy. */
  static write(h5Path: string, key: string, timeline: TimelineData): void {
    const file = TimelineCache.fileFor(h5Path);
    try {
      mkdirSync(dirname(file), { recursive: true });
      writeFileAtomic(file, `${JSON.stringify({ key, timeline })}\n`, { durable: false });
    } catch (error) {
      if (!(error instanceof OutputWriteError) && typeof (error as NodeJS.ErrnoException)?.code !== "string")
        throw error;
    }
  }
}
