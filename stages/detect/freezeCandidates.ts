import type { Config } from "../../config/index.js";
import type { FrameClock } from "../../detectors/frameClock.js";
import {
  classifyFreeze,
  type FreezeDiagnosis,
  type FreezeEvidence,
} from "../../detectors/freezeClassifier.js";
import { pairsEvenlySpread } from "../../detectors/image/index.js";
import { type Interval, mergeIntervals } from "../../detectors/intervals.js";
import { otWindowEvidence } from "../../detectors/ot/index.js";
import { CAMERA_STREAMS, type Side, type StreamName } from "../../detectors/samples.js";
import type { OtStream } from "../../hw/h5/index.js";
import type { TakeEvidence } from "../analysis/index.js";
import type { BodyOtAnalysis } from "./otAnalysis.js";

export interface FreezeCandidate {
  readonly side: Side;
  /** H5 frame range, clipped to the kept (post-trim) frames. */
  readonly h5: Interval;
  readonly signals: readonly string[];
  readonly evidence: FreezeEvidence;
  readonly diagnosis: FreezeDiagnosis;
}

/**
 * Merged OT-loss spans of a side's body as H5 frame ranges, each with the signals that raised it.
 * After a trim, evidence that ends before the first kept frame's tick belongs to the trimmed prefix
 * (the trickle's last gap ends at the steady stream's first sample), not to the take.
 */
export function candidateRanges(
  ot: BodyOtAnalysis,
  clock: FrameClock,
  from: number,
): { h5: Interval; signals: string[] }[] {
  const keptFrom = from > 0 ? (clock.timestamps[from] as number) : Number.NEGATIVE_INFINITY;
  const ranges: { range: Interval; kind: string }[] = [];
  for (const span of ot.lossSpans) {
    const frames = clock.framesOf(span);
    if (!frames || frames[1] < from || span.end < keptFrom) continue;
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
 * consecutive pairs. Motion is the mean absolute difference of the full-resolution uint8 frames, as
 * the spec's thresholds were set on (thumbnails average the sensor noise away and would make every
 * scene look still): the analysis pass kept every consecutive pair's exact sum of differences, so no
 * frame is read here. The window is clipped to the kept take (`from` … T−1): past the recording's
 * ends there is no OT because there is no recording, not because tracking was lost. The cameras'
 * duplicate fraction is also taken over the candidate's own frames, so a stall merely near an OT
 * fault does not explain it.
 */
export function gatherEvidence(
  h5: Interval,
  side: Side,
  stream: OtStream,
  evidence: TakeEvidence,
  from: number,
  clock: FrameClock,
  detect: Config["detect"],
): FreezeEvidence {
  const { windowS, maxPairs } = detect.classifier;
  const ts = clock.timestamps;
  const last = clock.frameCount - 1;
  const w0 = Math.max((ts[h5[0]] as number) - windowS, ts[from] as number);
  const w1 = Math.min((ts[h5[1]] as number) + windowS, ts[last] as number);
  const ot = otWindowEvidence(stream.timestamps, stream.pose, w0, w1, detect.invalidQuatNorm);
  const first = Math.max(from, clock.frameOwning(w0));
  const end = Math.min(last, clock.frameAfter(w1) - 1);
  const pairs = pairsEvenlySpread(first, end, maxPairs);
  const insidePairs = pairsEvenlySpread(Math.max(from, h5[0] - 1), h5[1], maxPairs);
  const pairStats = (name: StreamName, over = pairs) => {
    // diffs[j] compares frame j with frame j − 1: the pair (i, i + 1) is diffs[i + 1].
    const diffs = evidence.frameDiffs(name);
    let dups = 0;
    let motion = 0;
    for (const [, j] of over) {
      const d = diffs[j] as number;
      if (d === 0) dups++;
      else motion += d / evidence.frameBytes;
    }
    const n = over.length || 1;
    return { dupFraction: dups / n, motion: motion / n };
  };
  const cameras = CAMERA_STREAMS.map((cam) => pairStats(cam));
  const inside = CAMERA_STREAMS.map((cam) => pairStats(cam, insidePairs));
  const tactile = pairStats(`gel_${side}`);
  return {
    ...ot,
    cameraDupFraction: cameras.map((c) => c.dupFraction),
    cameraDupFractionInside: inside.map((c) => c.dupFraction),
    cameraMotion: cameras.map((c) => c.motion),
    tactileDupFraction: tactile.dupFraction,
    tactileMotion: tactile.motion,
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
