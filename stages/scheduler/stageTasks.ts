/**
 * The stages as pool tasks: each runs in a worker thread with its own h5wasm, takes and returns plain
 * JSON, and blocks between slices of work while the shared pause flag is set (a take is recording).
 */
import { basename, join } from "node:path";
import type { Config } from "../../config/index.js";
import { CompressError, compressEpisode } from "../compress/index.js";
import { defaultReportDir, episodeKey, previewDir, processedDir } from "../dataset/index.js";
import { declaredActiveSensors } from "../detect/declaredSensors.js";
import { readFreezeRecords } from "../detect/freezeRecords.js";
import { REPORT_FILES, runDetect } from "../detect/runDetect.js";
import { renderEpisodePreviews } from "../previews/index.js";
import { removeAtomicLeftovers } from "../../sinks/atomicWrite.js";
import { indexEpisode } from "../contactIndex/index.js";
import { checkEpisode } from "../integrity/checkEpisode.js";
import { quarantine } from "../integrity/quarantine.js";
import { waitWhilePaused } from "./PauseSwitch.js";

export type CheckOutcome =
  | { readonly status: "ok"; readonly frames: number }
  | {
      readonly status: "corrupt" | "unreadable";
      readonly code: string;
      readonly error: string;
      readonly quarantinedAs?: string;
    };

export async function checkStage(path: string): Promise<CheckOutcome> {
  const result = await checkEpisode(path, { deep: false });
  if (result.status === "ok") return { status: "ok", frames: result.frames };
  const quarantinedAs = result.status === "corrupt" ? quarantine(path) : undefined;
  return {
    status: result.status,
    code: result.error.code,
    error: result.error.message,
    ...(quarantinedAs ? { quarantinedAs } : {}),
  };
}

export type CompressOutcome =
  | {
      readonly status: "compressed" | "skipped";
      readonly bytesBefore: number;
      readonly bytesAfter: number;
      readonly seconds: number;
    }
  /** A damaged chunk: never recompressed, the file renamed aside (as check's corrupt files are). */
  | {
      readonly status: "corrupt";
      readonly code: string;
      readonly error: string;
      readonly quarantinedAs?: string;
    };

export async function compressStage(
  path: string,
  level: number | undefined,
  pause?: Int32Array,
): Promise<CompressOutcome> {
  let result;
  try {
    result = await compressEpisode(path, {
      ...(level === undefined ? {} : { level }),
      onProgress: () => waitWhilePaused(pause),
    });
  } catch (error) {
    if (!(error instanceof CompressError && error.code === "corrupt_chunk")) throw error;
    const { quarantinedAs } = error;
    return {
      status: "corrupt",
      code: error.code,
      error: error.message,
      ...(quarantinedAs ? { quarantinedAs } : {}),
    };
  }
  return {
    status: result.status,
    bytesBefore: result.bytesBefore,
    bytesAfter: result.bytesAfter,
    seconds: result.seconds,
  };
}

export async function indexStage(path: string, detect: Config["detect"], pause?: Int32Array) {
  const activeSensors = declaredActiveSensors(path);
  const indexed = await indexEpisode(path, {
    key: episodeKey(path),
    detect,
    outDir: processedDir(path),
    ...(activeSensors ? { activeSensors } : {}),
    onProgress: () => waitWhilePaused(pause),
  });
  return { ptPath: indexed.ptPath, sidecarPath: indexed.sidecarPath, ptBytes: indexed.ptBytes };
}

export async function detectStage(paths: readonly string[], detect: Config["detect"], pause?: Int32Array) {
  waitWhilePaused(pause);
  const out = defaultReportDir(paths[0] as string);
  for (const file of Object.values(REPORT_FILES)) removeAtomicLeftovers(join(out, file)); // a killed run's
  const run = await runDetect(paths, {
    out,
    detect,
    datasetWide: true,
    onEpisode: () => waitWhilePaused(pause),
  });
  const keys = new Map(paths.map((p) => [episodeKey(p), basename(p, ".h5")]));
  const activeSensors: Record<string, string[]> = {};
  for (const r of run.results) {
    const name = keys.get(r.key);
    if (name !== undefined) activeSensors[name] = [...r.activeSensors];
  }
  return {
    out,
    episodes: run.results.length,
    unreadable: run.unreadable.map((u) => u.key),
    activeSensors,
  } satisfies DetectStageResult;
}

export interface DetectStageResult {
  readonly out: string;
  /** Episodes in the dataset's reports (every session's). */
  readonly episodes: number;
  readonly unreadable: readonly string[];
  /** The active sensors each of this session's takes was analysed with, by episode name. */
  readonly activeSensors: Readonly<Record<string, readonly string[]>>;
}

/** Spec §6 for one episode, after detect: its preview GIF and its borderline-event clips. */
export async function previewsStage(
  path: string,
  config: Pick<Config, "detect" | "previews">,
  pause?: Int32Array,
) {
  const activeSensors = declaredActiveSensors(path);
  const made = await renderEpisodePreviews(path, {
    key: episodeKey(path),
    detect: config.detect,
    previews: config.previews,
    outDir: previewDir(path),
    previousFreezes: readFreezeRecords(join(defaultReportDir(path), REPORT_FILES.freezes)),
    ...(activeSensors ? { activeSensors } : {}),
    onProgress: () => waitWhilePaused(pause),
  });
  return {
    gifPath: made.gif.path,
    bytes: made.gif.bytes,
    clips: made.clips.map((c) => ({ id: c.id, path: c.gif.path })),
  };
}
