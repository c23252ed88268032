import type { Config } from "../../config/index.js";
import type { FrameClock } from "../../detectors/frameClock.js";
import {
  classifyFreeze,
  type FreezeDiagnosis,
  type FreezeEvidence,
} from "../../detectors/freezeClassifier.js";
import { isBitwiseEqual, meanAbsDiff, pairsEvenlySpread, THUMB_BYTES, thumbnail } from "../../detectors/image/index.js";
import { type Interval, mergeIntervals } from "../../detectors/intervals.js";
import { otWindowEvidence } from "../../detectors/ot/index.js";
import { CAMERA_STREAMS, type Side } from "../../detectors/samples.js";
import type { EpisodeReader, OtStream } from "../../hw/h5/index.js";
import type { FrameScan } from "./frameScan.js";
import type { BodyOtAnalysis } from "./otAnalysis.js";

export interface FreezeCandidate {
  readonly side: Side;
  /** H5 frame range, clipped to the kept (post-trim) frames. */
  readonly h5: Interval;
  readonly signals: readonly string[];
  readonly evidence: FreezeEvidence;
  readonly diagnosis: FreezeDiagnosis;
}

/** Merged OT-loss spans of a side's body as H5 frame ranges, each with the signals that raised it. */
export function candidateRanges(
  ot: BodyOtAnalysis,
  clock: FrameClock,
  from: number,
): { h5: Interval; signals: string[] }[] {
  const ranges: { range: Interval; kind: string }[] = [];
  for (const span of ot.lossSpans) {
    const frames = clock.framesOf(span);
    if (!frames || frames[1] < from) continue;
    ranges.push({ range: [Math.max(frames[0], from), frames[1]], kind: span.kind });
  }
  return mergeIntervals(ranges.map((r) => r.range)).map((h5) => ({
    h5,
    signals: [
      ...new Set(ranges.filter((r) => r.range[0] <= h5[1] && r.range[1] >= h5[0]).map((r) => r.kind)),
    ].sort(),
  }));
}

/**
 * Cross-modal evidence for one candidate (spec §3): OT statistics over the candidate ±1 s, and per
 * camera and for the affected GelSight the duplicate fraction and motion over up to 32 evenly spread
 * consecutive pairs. Motion is measured on 128×128 thumbnails, as the live tap sees the streams.
 */
export function gatherEvidence(
  h5: Interval,
  side: Side,
  stream: OtStream,
  reader: EpisodeReader,
  scan: FrameScan,
  clock: FrameClock,
  detect: Config["detect"],
): FreezeEvidence {
  const { windowS, maxPairs } = detect.classifier;
  const ts = clock.timestamps;
  const w0 = (ts[h5[0]] as number) - windowS;
  const w1 = (ts[h5[1]] as number) + windowS;
  const ot = otWindowEvidence(stream.timestamps, stream.pose, w0, w1, detect.invalidQuatNorm);
  const first = Math.max(scan.from, clock.frameOwning(w0));
  const last = Math.min(scan.from + scan.count - 1, clock.frameAfter(w1) - 1);
  const pairs = pairsEvenlySpread(first, last, maxPairs);
  const a = new Uint8Array(THUMB_BYTES);
  const b = new Uint8Array(THUMB_BYTES);
  const frameA = new Uint8Array(reader.height * reader.width * 3);
  const frameB = new Uint8Array(reader.height * reader.width * 3);
  const cameraDupFraction: number[] = [];
  const cameraMotion: number[] = [];
  for (const cam of CAMERA_STREAMS) {
    // Read here rather than taken from the scan: the scan only reads cam1/cam2 where a stall is possible.
    let dups = 0;
    let motion = 0;
    for (const [i, j] of pairs) {
      reader.color(cam, i, frameA);
      reader.color(cam, j, frameB);
      if (isBitwiseEqual(frameA, frameB)) {
        dups++;
        continue;
      }
      motion += meanAbsDiff(thumbnail(frameA, reader.height, reader.width, a), thumbnail(frameB, reader.height, reader.width, b));
    }
    cameraDupFraction.push(pairs.length ? dups / pairs.length : 0);
    cameraMotion.push(pairs.length ? motion / pairs.length : 0);
  }
  const gel = scan.gel[side];
  let tactileDups = 0;
  let tactileMotion = 0;
  for (const [i, j] of pairs) {
    if (gel.repeats[j - scan.from] === 1) {
      tactileDups++;
      continue;
    }
    scan.store.read(gel.slots[i - scan.from] as number, a);
    scan.store.read(gel.slots[j - scan.from] as number, b);
    tactileMotion += meanAbsDiff(a, b);
  }
  return {
    ...ot,
    cameraDupFraction,
    cameraMotion,
    tactileDupFraction: pairs.length ? tactileDups / pairs.length : 0,
    tactileMotion: pairs.length ? tactileMotion / pairs.length : 0,
  };
}

export function diagnose(evidence: FreezeEvidence, detect: Config["detect"]): FreezeDiagnosis {
  return classifyFreeze(evidence, {
    ...detect.classifier,
    otGapS: detect.otGapS,
    velocityMps: detect.teleport.velocityMps,
    angularRadS: detect.teleport.angularRadS,
  });
}
