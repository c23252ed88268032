import { existsSync } from "node:fs";
import { basename, join } from "node:path";
import type { Side } from "../../detectors/samples.js";
import { EvidenceCache } from "../analysis/index.js";
import { defaultReportDir, episodeKey } from "../dataset/index.js";
import { activeSensorsFromTasks } from "../detect/declaredSensors.js";
import { readFreezeRecords } from "../detect/freezeRecords.js";
import { REPORT_FILES } from "../detect/runDetect.js";
import { sessionTarget } from "../metadata/index.js";
import {
  type EpisodeStage,
  type Fingerprint,
  fingerprint,
  sameFingerprint,
  type SessionRecord,
  type StageRecord,
} from "./SessionState.js";
import { storedResult } from "./stageResults.js";

/*
 * When a recorded stage still stands: the rules the local scheduler and the queue's workers share, so
 * either can pick up where the other stopped from the same .rigwatch/stages.json.
 */

/** tasks.json's active sensors for this session now (null when none, or outside a dataset). */
export function declaredSensors(sessionDir: string): Side[] | null {
  const target = sessionTarget(sessionDir);
  return (target && activeSensorsFromTasks(target.tasksPath, target.date)) ?? null;
}

/**
 * The verdicts people set on these episodes' freezes (rigwatch verdict), as one string: a new one
 * makes the session's detect (and so its previews) run again.
 */
export function manualVerdicts(paths: readonly string[]): string {
  const keys = new Set(paths.map((p) => episodeKey(p)));
  try {
    const records = readFreezeRecords(join(defaultReportDir(paths[0] as string), REPORT_FILES.freezes));
    return JSON.stringify(
      records
        .filter((r) => keys.has(r.episode) && r.manual_verdict !== null)
        .map((r) => [r.episode, r.side, r.h5_a, r.h5_b, r.manual_verdict]),
    );
  } catch {
    return "unreadable"; // detect itself stops on the damaged file and says why
  }
}

/** The episode files detect runs on, as they are now: a change runs it again. */
export function detectInputs(paths: readonly string[]): Record<string, Fingerprint> {
  const inputs: Record<string, Fingerprint> = {};
  for (const p of paths) inputs[basename(p, ".h5")] = fingerprint(p) as Fingerprint;
  return inputs;
}

/** The session's detect already ran on exactly these files, verdicts and active sensors. */
export function detectDone(
  previous: SessionRecord | undefined,
  inputs: Record<string, Fingerprint>,
  verdicts: string,
  sensors: Side[] | null,
): boolean {
  return (
    previous?.state === "done" &&
    JSON.stringify(previous.inputs) === JSON.stringify(inputs) &&
    previous.verdicts === verdicts &&
    JSON.stringify(previous.sensors ?? null) === JSON.stringify(sensors)
  );
}

/**
 * Done and still valid: the analysis pass's evidence is current (a crash between compress and its
 * carry-over leaves it stale: read the frames again), the index's outputs are there and were made
 * with the sensors the session now has.
 */
export function episodeStageDone(
  path: string,
  stage: EpisodeStage,
  record: StageRecord | undefined,
  sensors: Side[] | null,
): boolean {
  if (record?.state !== "done") return false;
  if (stage === "analyse") return EvidenceCache.isCurrent(path);
  if (stage === "index") {
    const r = storedResult("index", record.result);
    return (
      r !== undefined &&
      sameFingerprint(record.file, fingerprint(path)) &&
      existsSync(r.ptPath) &&
      existsSync(r.sidecarPath) &&
      JSON.stringify(r.activeSensors) === JSON.stringify(sensors)
    );
  }
  if (stage === "previews") return false; // previewsDone: they depend on the detect run too
  return true;
}

/** The previews stand while the file and the detect run they drew from are unchanged and the GIF is there. */
export function previewsDone(
  path: string,
  record: StageRecord | undefined,
  detectAt: string | undefined,
): boolean {
  const previous = storedResult("previews", record?.result);
  return (
    record?.state === "done" &&
    sameFingerprint(record.file, fingerprint(path)) &&
    record.detectAt === detectAt &&
    previous !== undefined &&
    existsSync(previous.gifPath)
  );
}
