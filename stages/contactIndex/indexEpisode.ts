import { makeOutputDir } from "../../sinks/OutputWriteError.js";
import type { Config } from "../../config/index.js";
import { FrameClock } from "../../detectors/frameClock.js";
import { type CameraStream, type Side, TACTILE_SIDES } from "../../detectors/samples.js";
import { writeFileAtomic } from "../../sinks/atomicWrite.js";
import { type EpisodeResult, reportJson } from "../../sinks/reports/index.js";
import {
  type PyValue,
  TorchFileWriter,
  type TorchTensor,
  type ZipWriterOptions,
} from "../../sinks/torch/index.js";
import { EvidenceCache, type TakeEvidence } from "../analysis/index.js";
import { contactIndexFiles } from "../dataset/index.js";
import { analyseEvidence } from "../detect/analyseEpisode.js";
import type { GelAnalysis } from "../detect/gelAnalysis.js";
import { alignedPoses } from "./alignedPoses.js";
import { contactMeta } from "./contactMeta.js";
import { contactSidecar } from "./contactSidecar.js";
import { removeStaleTemps } from "./removeStaleTemps.js";
import { THUMB_SHAPE, tactileThumb, writeCameraView, writeTactile } from "./thumbnailTensors.js";
/** Display order left | middle | right = cam1 | cam2 | cam0 (spec §1). */
const VIEWS: readonly (readonly [string, CameraStream])[] = [
  ["view_left", "cam1"],
  ["view_middle", "cam2"],
  ["view_right", "cam0"],
];
const POSE_BODIES = ["sensor_left", "sensor_right", "motherboard"] as const;

export interface IndexOptions {
  /** `<date>/episode_NNN`, as reports name the episode. */
  readonly key: string;
  readonly detect: Config["detect"];
  /** Folder the `.pt` and its sidecar go to (created if missing). */
  readonly outDir: string;
  /** Active sensors from tasks.json when the session has them; detected otherwise. */
  readonly activeSensors?: readonly Side[];
  /**
   * Progress: the analysis pass's frames when the episode has no current evidence (then the `.pt`
   * follows in a moment), else the camera views' frames as they are written.
   */
  readonly onProgress?: (done: number, total: number) => void;
  /** Zip writer options (tests force the zip64 path with a low threshold). */
  readonly zip?: ZipWriterOptions;
}

export interface IndexedEpisode {
  readonly result: EpisodeResult;
  readonly ptPath: string;
  readonly sidecarPath: string;
  readonly ptBytes: number;
}

/**
 * The contact index of one episode (spec §4): `episode_NNN.pt` (one dict, post-trim) and
 * `episode_NNN.contact.json`. Trim, active sensors, p01 references, drift and the per-frame metrics
 * are detect's own analysis of the episode's evidence (`analyseEvidence`), so the index and the
 * reports always agree; the thumbnails are the analysis pass's, so no frame is decoded here when the
 * evidence is current. Nothing is left behind on failure: the `.pt` is written atomically, the sidecar
 * only after it.
 */
export async function indexEpisode(path: string, options: IndexOptions): Promise<IndexedEpisode> {
  const evidence = await EvidenceCache.open(
    path,
    options.onProgress ? { onProgress: options.onProgress } : {},
  );
  try {
    return indexEvidence(evidence, options);
  } finally {
    evidence.close();
  }
}

/** The contact index from an episode's evidence. */
export function indexEvidence(evidence: TakeEvidence, options: IndexOptions): IndexedEpisode {
  const files = contactIndexFiles(evidence.path, options.outDir);
  const analysis = analyseEvidence(evidence, {
    key: options.key,
    detect: options.detect,
    ...(options.activeSensors ? { activeSensors: options.activeSensors } : {}),
  });
  makeOutputDir(options.outDir);
  removeStaleTemps(files.pt);
  const ptBytes = writeContactPt(files.pt, evidence, analysis.result, analysis.gel, options);
  writeFileAtomic(
    files.sidecar,
    reportJson(contactSidecar(analysis.result, analysis.gel, options.detect.contact)),
  );
  return { result: analysis.result, ptPath: files.pt, sidecarPath: files.sidecar, ptBytes };
}

function writeContactPt(
  ptPath: string,
  evidence: TakeEvidence,
  result: EpisodeResult,
  gel: Readonly<Record<Side, GelAnalysis>>,
  options: IndexOptions,
): number {
  const from = result.trimOffset;
  const count = Math.max(0, evidence.frameCount - from);
  const pt = TorchFileWriter.create(ptPath, options.zip);
  try {
    let done = 0;
    const progress = (frames: number) => options.onProgress?.((done += frames), VIEWS.length * count);
    const root: Record<string, PyValue> = {};
    for (const [key, cam] of VIEWS) root[key] = writeCameraView(pt, evidence, cam, from, progress);
    for (const side of TACTILE_SIDES) root[`tactile_${side}`] = writeTactile(pt, evidence, side, from);

    const timestamps = evidence.timestamps();
    root.timestamps = pt.tensor("float64", [count], timestamps.subarray(from));
    const clock = new FrameClock(timestamps);
    for (const body of POSE_BODIES)
      root[`${body}_pose`] = pt.tensor("float32", [count, 7], alignedPoses(clock, evidence.ot(body), from));

    for (const side of TACTILE_SIDES)
      for (const metric of ["intensity", "area", "mixed"] as const)
        root[`tactile_${side}_${metric}`] = pt.tensor("float32", [count], gel[side][metric]);

    const refTensor = (side: Side, index: number | undefined): TorchTensor | null =>
      index === undefined ? null : pt.tensor("uint8", THUMB_SHAPE, tactileThumb(evidence, side, from, index));
    const first = {
      left: refTensor("left", count > 0 ? 0 : undefined),
      right: refTensor("right", count > 0 ? 0 : undefined),
    };
    const p01 = {
      left: refTensor("left", gel.left.referenceIndex),
      right: refTensor("right", gel.right.referenceIndex),
    };
    root._contact_meta = contactMeta(result, gel, { first, p01 }, options.detect.contact);
    pt.finish(root);
    return pt.bytesWritten;
  } catch (error) {
    pt.abort();
    throw error;
  }
}
