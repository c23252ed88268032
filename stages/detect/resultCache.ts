import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { detectCacheFile } from "../dataset/index.js";
import { writeFileAtomic } from "../../sinks/atomicWrite.js";
import { OutputWriteError } from "../../sinks/OutputWriteError.js";
import type { EpisodeResult, FreezeRecord } from "../../sinks/reports/index.js";

/** Bump when detect's results change for the same inputs (a detector fix), so old caches are redone. */
const RESULTS_VERSION = 1;

/**
 * Each episode's detect result, kept beside its session (`<date>/.rigwatch/detect/episode_NNN.json`),
 * so the dataset's reports can cover every session without analysing the unchanged ones again. A
 * result is reused only for the same inputs: the file (size, mtime), the detect config, the active
 * sensors given and the person's verdicts on its freezes. A cache is never the only copy of anything,
 * so it is written without fsync: a file torn by a crash of the machine does not parse, and is a miss.
 */
export class ResultCache {
  static fileFor(h5Path: string): string {
    return detectCacheFile(h5Path);
  }

  static inputsKey(
    h5Path: string,
    inputs: { detect: unknown; activeSensors: unknown; verdicts: readonly FreezeRecord[] },
  ): string {
    const { size, mtimeMs } = statSync(h5Path);
    const verdicts = inputs.verdicts
      .filter((r) => r.manual_verdict !== null)
      .map((r) => [r.side, r.h5_a, r.h5_b, r.manual_verdict]);
    return createHash("sha256")
      .update(
        JSON.stringify([
          RESULTS_VERSION,
          size,
          mtimeMs,
          inputs.detect,
          inputs.activeSensors ?? null,
          verdicts,
        ]),
      )
      .digest("hex");
  }

  static read(h5Path: string, key: string): EpisodeResult | undefined {
    const file = ResultCache.fileFor(h5Path);
    if (!existsSync(file)) return undefined;
    try {
      const cached = JSON.parse(readFileSync(file, "utf8")) as { key?: string; result?: EpisodeResult };
      return cached.key === key ? cached.result : undefined;
    } catch {
      return undefined; // unreadable: analyse again
    }
  }

  /** Keeps a result when the session folder can be written; a read-only one just goes without the cache. */
  static write(h5Path: string, key: string, result: EpisodeResult): void {
    const file = ResultCache.fileFor(h5Path);
    try {
      mkdirSync(dirname(file), { recursive: true });
      writeFileAtomic(file, `${JSON.stringify({ key, result })}\n`, { durable: false });
    } catch (error) {
      if (!(error instanceof OutputWriteError) && !isErrno(error)) throw error;
    }
  }
}

function isErrno(error: unknown): boolean {
  return typeof (error as NodeJS.ErrnoException)?.code === "string";
}
