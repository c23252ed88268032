/**
 * The stages as pool tasks: each runs in a worker thread with its own h5wasm, takes and returns plain
 * JSON, and blocks between slices of work while the shared pause flag is set (a take is recording).
 */
import { basename, join } from "node:path";
import type { Config } from "../../config/index.js";
import { compressEpisode } from "../compress/index.js";
import { defaultReportDir, episodeKey, previewDir, processedDir } from "../dataset/index.js";
import { declaredActiveSensors } from "../detect/declaredSensors.js";
import { readFreezeRecords } from "../detect/freezeRecords.js";
import { REPORT_FILES, runDetect } from "../detect/runDetect.js";
import { renderEpisodePreviews } from "../previews/index.js";
import { removeAtomicLeftovers } from "../../sinks/atomicWrite.js";
import { indexEpisode } from "../contactIndex/index.js";
import { checkEpisode } from "../integrity/checkEpisode.js";
import { QuarantineError, quarantine } from "../integrity/quarantine.js";
import { waitWhilePaused } from "./PauseSwitch.js";

export type CheckOutcome =
  | { readonly status: "ok"; readonly frames: number }
  | {
      readonly status: "corrupt" | "unreadable" | "busy";
      readonly code: string;
      readonly error: string;
      /** Where the corrupt file went; absent when it was not renamed (then `notRenamed` says why). */
      readonly quarantinedAs?: string;
      readonly notRenamed?: string;
    };

/**
 * The chain's check: deep (every chunk decoded twice) when compress is going to replace the file, so a
 * damaged chunk is found while the original is still there; a corrupt file is quarantined.
 */
export async function checkStage(path: string): Promise<CheckOutcome> {
  const result = await checkEpisode(path, { deep: "if-recompressed" });
  if (result.status === "ok") return { status: "ok", frames: result.frames };
  const failed = { status: result.status, code: result.error.code, error: result.error.message };
  if (result.status !== "corrupt") return failed;
  try {
    return { ...failed, quarantinedAs: quarantine(path) };
  } catch (error) {
    if (!(error instanceof QuarantineError)) throw error;
    return { ...failed, notRenamed: error.message };
  }
}

export async function compressStage(path: string, level: number | undefined, pause?: Int32Array) {
  const result = await compressEpisode(path, {
    ...(level === undefined ? {} : { level }),
    onProgress: () => waitWhilePaused(pause),
  });
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
    damaged: run.unreadable
      .filter((u) => u.error.corrupt && keys.has(u.key))
      .map((u) => ({ name: keys.get(u.key) as string, error: u.error.message })),
    activeSensors,
  } satisfies DetectStageResult;
}

export interface DetectStageResult {
  readonly out: string;
  /** Episodes in the dataset's reports (every session's). */
  readonly episodes: number;
  readonly unreadable: readonly string[];
  /** This session's takes whose content detect found damaged (a chunk that does not decode), by name. */
  readonly damaged: readonly { readonly name: string; readonly error: string }[];
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
