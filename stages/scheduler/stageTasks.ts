/**
 * The stages as pool tasks: each runs in a worker thread with its own h5wasm, takes and returns plain
 * JSON (the types of stageResults.ts), and blocks between slices of work while the shared pause flag
 * is set (a take is recording).
 */
import { basename, join } from "node:path";
import type { Config } from "../../config/index.js";
import { EvidenceCache, fileIdentity } from "../analysis/index.js";
import { type CompressAttempt, CompressError, compressEpisode } from "../compress/index.js";
import { indexEpisode } from "../contactIndex/index.js";
import { defaultReportDir, episodeKey, previewDir, processedDir } from "../dataset/index.js";
import { analyseEvidence } from "../detect/analyseEpisode.js";
import { declaredActiveSensors } from "../detect/declaredSensors.js";
import { readFreezeRecords } from "../detect/freezeRecords.js";
import { REPORT_FILES, runDetect } from "../detect/runDetect.js";
import { EpisodeError } from "../../hw/h5/index.js";
import { checkEpisode } from "../integrity/checkEpisode.js";
import { QuarantineError, quarantine } from "../integrity/quarantine.js";
import { renderEpisodePreviews } from "../previews/index.js";
import { removeAtomicLeftovers } from "../../sinks/atomicWrite.js";
import { waitWhilePaused } from "./PauseSwitch.js";
import type { StageResults } from "./stageResults.js";

/**
 * The chain's check: the file's structure and its first and last frames. Every chunk is decoded by the
 * analysis pass next, and compress compares its copy with a second, independent decode before it may
 * replace the file; a corrupt file is quarantined here (a take still being written is left alone).
 */
export async function checkStage(path: string): Promise<StageResults["check"]> {
  const result = await checkEpisode(path, { deep: false });
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

/**
 * The take's one analysis pass (stages/analysis): every frame decoded once, on the recorder's file
 * before compress (LZ4 decodes ~4× faster than deflate); compress carries the evidence over.
 */
export async function analyseStage(path: string, pause?: Int32Array): Promise<StageResults["analyse"]> {
  const started = performance.now();
  const current = EvidenceCache.current(path);
  const reused = current !== undefined;
  let evidence;
  try {
    evidence = current ?? (await EvidenceCache.open(path, { onProgress: () => waitWhilePaused(pause) }));
  } catch (error) {
    // The pass is the first to decode every frame: a chunk the file holds damaged is found here, and
    // the take is quarantined as check would have (the bytes renamed aside, never recompressed).
    if (!(error instanceof EpisodeError && error.corrupt)) throw error;
    const failed = { status: "corrupt" as const, code: error.code, error: error.message };
    try {
      return { ...failed, quarantinedAs: quarantine(path) };
    } catch (refused) {
      if (!(refused instanceof QuarantineError)) throw refused;
      return { ...failed, notRenamed: refused.message };
    }
  }
  try {
    return {
      status: "ok",
      frames: evidence.frameCount,
      reused,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    evidence.close();
  }
}

/**
 * `owned`: the queue's compress, one attempt of a job; it writes that attempt's temporary file and
 * leaves the verified copy there for the job to rename (only while it still owns the take).
 */
export async function compressStage(
  path: string,
  level: number | undefined,
  pause?: Int32Array,
  owned?: { readonly attempt: CompressAttempt },
): Promise<StageResults["compress"]> {
  const before = fileIdentity(path);
  let result;
  try {
    result = await compressEpisode(path, {
      ...(level === undefined ? {} : { level }),
      ...(owned ? { attempt: owned.attempt, keepCopy: true } : {}),
      onProgress: () => waitWhilePaused(pause),
    });
  } catch (error) {
    // A damaged chunk: never recompressed, the file renamed aside (as check's corrupt files are).
    if (!(error instanceof CompressError && error.code === "corrupt_chunk")) throw error;
    const { quarantinedAs } = error;
    return {
      status: "corrupt",
      code: error.code,
      error: error.message,
      ...(quarantinedAs ? { quarantinedAs } : {}),
    };
  }
  if (result.status === "verified")
    return {
      status: "verified",
      tempPath: result.tempPath as string,
      bytesBefore: result.bytesBefore,
      bytesAfter: result.bytesAfter,
      seconds: result.seconds,
      before: before ?? null,
    };
  // compress verifies its copy bit-exact before the rename: the same frames, so the same evidence.
  const evidenceCarried = result.status === "compressed" && EvidenceCache.carryOver(path, before);
  return {
    status: result.status,
    bytesBefore: result.bytesBefore,
    bytesAfter: result.bytesAfter,
    seconds: result.seconds,
    evidenceCarried,
  };
}

/** Each take's own active sensors (what detect finds without tasks.json), from the evidence. */
export async function settleStage(
  paths: readonly string[],
  detect: Config["detect"],
  pause?: Int32Array,
): Promise<StageResults["settle"]> {
  const detected: Record<string, ("left" | "right")[]> = {};
  for (const path of paths) {
    waitWhilePaused(pause);
    const evidence = await EvidenceCache.open(path, { onProgress: () => waitWhilePaused(pause) });
    try {
      const { result } = analyseEvidence(evidence, { key: episodeKey(path), detect });
      detected[basename(path, ".h5")] = [...result.activeSensors];
    } finally {
      evidence.close();
    }
  }
  return { detected };
}

export async function indexStage(
  path: string,
  detect: Config["detect"],
  pause?: Int32Array,
): Promise<StageResults["index"]> {
  const activeSensors = declaredActiveSensors(path);
  const indexed = await indexEpisode(path, {
    key: episodeKey(path),
    detect,
    outDir: processedDir(path),
    ...(activeSensors ? { activeSensors } : {}),
    onProgress: () => waitWhilePaused(pause),
  });
  return {
    ptPath: indexed.ptPath,
    sidecarPath: indexed.sidecarPath,
    ptBytes: indexed.ptBytes,
    activeSensors: activeSensors ?? null,
  };
}

export async function detectStage(
  paths: readonly string[],
  detect: Config["detect"],
  pause?: Int32Array,
): Promise<StageResults["detect"]> {
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
  const activeSensors: Record<string, ("left" | "right")[]> = {};
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
  };
}

/** Spec §6 for one episode, after detect: its preview GIF and its borderline-event clips. */
export async function previewsStage(
  path: string,
  config: Pick<Config, "detect" | "previews">,
  pause?: Int32Array,
): Promise<StageResults["previews"]> {
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
