import type { Config } from "../../config/index.js";
import { detectActiveSides } from "../../detectors/activeSides.js";
import { FrameClock } from "../../detectors/frameClock.js";
import { isOtLoss } from "../../detectors/freezeClassifier.js";
import { type Interval, mergeIntervals, padIntervals, trimIntervals } from "../../detectors/intervals.js";
import { CAMERA_STREAMS, SENSOR_BODY, type Side, TACTILE_SIDES } from "../../detectors/samples.js";
import { spikeIntervals } from "../../detectors/spike.js";
import { stallIntervals } from "../../detectors/stall.js";
import { computeTrim } from "../../detectors/trim.js";
// The h5 modules themselves, not hw/h5/index.js: analysing evidence must not load h5wasm (nor replay's rxjs).
import { requireCameraTimes } from "../../hw/h5/cameraTimes.js";
import { EpisodeError } from "../../hw/h5/errors.js";
import type { OtStream } from "../../hw/h5/OtStream.js";
import { poseSamples } from "../../hw/h5/otSamples.js";
import { OT_OUTSIDE_TAKE_S } from "../../hw/h5/plausibleOtSamples.js";
import type { EpisodeResult, FreezeRecord, ManualVerdict, PublishedList } from "../../sinks/reports/index.js";
import { round } from "../../sinks/reports/index.js";
import { EvidenceCache, type TakeEvidence } from "../analysis/index.js";
import { candidateRanges, diagnose, gatherEvidence } from "./freezeCandidates.js";
import { analyseGel, type GelAnalysis } from "./gelAnalysis.js";
import { analyseOtStream, type BodyOtAnalysis } from "./otAnalysis.js";

export interface AnalyseOptions {
  /** `<date>/episode_NNN`: how reports name the episode. */
  readonly key: string;
  readonly detect: Config["detect"];
  /** Active sensors from tasks.json when the session has them; detected otherwise. */
  readonly activeSensors?: readonly Side[];
  /** Freeze records of an earlier run, for their manual verdicts. */
  readonly previousFreezes?: readonly FreezeRecord[];
}

/** Everything detect finds in one episode, beyond what the reports publish. */
export interface EpisodeAnalysis {
  readonly result: EpisodeResult;
  readonly gel: Readonly<Record<Side, GelAnalysis>>;
  readonly ot: Readonly<Record<string, BodyOtAnalysis>>;
}

/**
 * detect's analysis of one episode file (spec §2–§5): from its evidence (the analysis pass's cache,
 * or a pass over its frames when there is none current; `onProgress` follows that pass).
 */
export async function analyseEpisode(
  path: string,
  options: AnalyseOptions & { readonly onProgress?: (done: number, total: number) => void },
): Promise<EpisodeAnalysis> {
  const evidence = await EvidenceCache.open(
    path,
    options.onProgress ? { onProgress: options.onProgress } : {},
  );
  try {
    return analyseEvidence(evidence, options);
  } finally {
    evidence.close();
  }
}

/**
 * The offline analysis (spec §2–§5), the live detectors' rules episode-wide, from an episode's
 * evidence: no frame is decoded here, so a change of threshold costs milliseconds, not a pass.
 */
export function analyseEvidence(evidence: TakeEvidence, options: AnalyseOptions): EpisodeAnalysis {
  const { detect, key } = options;
  const timestamps = evidence.timestamps();
  requireCameraTimes(evidence.path, timestamps);
  const fps = evidence.metadata.fps;
  if (!(fps > 0))
    throw new EpisodeError(
      "bad_shape",
      evidence.path,
      "metadata@fps",
      `expected a positive frame rate, found ${fps}`,
    );
  const clock = new FrameClock(timestamps);
  const T = evidence.frameCount;
  const warnings: string[] = [];

  const streams: Record<string, OtStream> = {};
  const ot: Record<string, BodyOtAnalysis> = {};
  const start = timestamps[0] ?? 0;
  const end = timestamps[T - 1] ?? 0;
  for (const body of evidence.bodies) {
    const stream = evidence.ot(body);
    streams[body] = stream;
    ot[body] = analyseOtStream(body, poseSamples(stream, detect.invalidQuatNorm), start, end, detect);
    const a = ot[body] as BodyOtAnalysis;
    if (a.sampleCount === 0) warnings.push(`${body}: no OT samples`);
    if (a.invalidCount > 0) warnings.push(`${body}: ${a.invalidCount} invalid OT samples`);
    if (a.outOfOrder > 0) warnings.push(`${body}: ${a.outOfOrder} OT samples out of time order, ignored`);
    if ((stream.implausible ?? 0) > 0)
      warnings.push(
        `${body}: ${stream.implausible} OT samples with an impossible time (not finite, or over ${OT_OUTSIDE_TAKE_S} s outside the take), ignored`,
      );
  }
  const sensorOt = (side: Side) => ot[SENSOR_BODY[side]] as BodyOtAnalysis;

  // Trim needs the active bodies; contact is only known after the frame pass, so trim on what is
  // known now (tasks.json, else travel) and settle the active set afterwards.
  const provisional =
    options.activeSensors ?? TACTILE_SIDES.filter((s) => sensorOt(s).travelM > detect.active.minMotionM);
  const trimSides =
    provisional.length > 0 ? provisional : TACTILE_SIDES.filter((s) => sensorOt(s).sampleCount > 0);
  const trim = computeTrim(
    clock,
    trimSides.map((s) => sensorOt(s).validTimes),
    detect.trim,
  );
  const from = trim.trimOffset;

  const stallConfig = {
    dupFraction: detect.stall.dupFraction,
    windowFrames: Math.round(detect.stall.windowS * fps),
  };
  const gel = {
    left: analyseGel(evidence, "left", from, detect.contact),
    right: analyseGel(evidence, "right", from, detect.contact),
  };
  const toH5 = (list: readonly Interval[]) => list.map(([a, b]): Interval => [a + from, b + from]);
  const spikesBySide = Object.fromEntries(
    TACTILE_SIDES.map((side) => [side, toH5(spikeIntervals(gel[side].intensity, detect.spike))]),
  ) as Record<Side, Interval[]>;

  const activeSensors =
    options.activeSensors ??
    detectActiveSides(
      TACTILE_SIDES.map((side) => ({
        side,
        contactFrames: contactFramesExcluding(
          gel[side].mixed,
          spikesBySide[side],
          from,
          detect.contact.contactMixed,
        ),
        bodyTravelM: sensorOt(side).travelM,
      })),
      detect.active,
    );

  const pad = (list: readonly Interval[]) => trimIntervals(padIntervals(list, detect.bufferFrames, T), from);
  const teleports = (side: Side): Interval[] => {
    if (!activeSensors.includes(side)) return [];
    const frames = sensorOt(side).teleports.map((e): Interval => {
      const k = Math.min(clock.frameOwning(e.tB), T - 1);
      return [k, k];
    });
    return pad(frames.filter(([k]) => k >= from));
  };

  const freezes: FreezeRecord[] = [];
  const lossFrames: Record<Side, Interval[]> = { left: [], right: [] };
  const stallFromFreezes: Interval[] = [];
  for (const side of activeSensors) {
    const previous = (options.previousFreezes ?? []).filter((f) => f.episode === key && f.side === side);
    let lastCut: Interval | undefined;
    for (const { h5, signals } of candidateRanges(sensorOt(side), clock, from)) {
      const found = gatherEvidence(
        h5,
        side,
        streams[SENSOR_BODY[side]] as OtStream,
        evidence,
        from,
        clock,
        detect,
      );
      const diagnosis = diagnose(found, detect);
      const manual = manualVerdictFor(previous, h5);
      const record = freezeRecord(key, side, h5, from, fps, signals, found, diagnosis, manual);
      freezes.push(record);
      const cut = manual === null ? isOtLoss(diagnosis) : manual !== "keep";
      if (manual === "merge" && lastCut) lossFrames[side].push([lastCut[1], h5[0]]);
      if (cut) {
        lossFrames[side].push(h5);
        lastCut = h5;
      }
      if (manual === null && diagnosis.verdict === "pipeline_stall") stallFromFreezes.push(h5);
    }
  }

  const stalls = toH5(stallIntervals(cameraRepeats(evidence, from), stallConfig));
  const lists: Record<PublishedList, Interval[]> = {
    intensity_spikes: pad([...spikesBySide.left, ...spikesBySide.right]),
    pose_teleports_L: teleports("left"),
    pose_teleports_R: teleports("right"),
    ot_loss_L: trimIntervals(mergeIntervals(lossFrames.left), from),
    ot_loss_R: trimIntervals(mergeIntervals(lossFrames.right), from),
    pipeline_stall: trimIntervals(mergeIntervals([...stalls, ...stallFromFreezes]), from),
  };
  const drift = { left: gel.left.drift, right: gel.right.drift };
  const driftWarning = TACTILE_SIDES.some((s) => (drift[s] ?? 0) > detect.contact.driftWarning);
  const result: EpisodeResult = {
    key,
    fps,
    nFrames: T - from,
    preTrimFrames: T,
    trimOffset: from,
    trimReason: trim.trimReason,
    activeSensors: TACTILE_SIDES.filter((s) => activeSensors.includes(s)),
    activeSource: options.activeSensors ? "tasks.json" : "detected",
    lists,
    freezes,
    drift,
    driftWarning,
    integrity: "ok",
    warnings,
  };
  return { result, gel, ot };
}

/**
 * Per camera, over the kept frames (index = frame − from): 1 where the frame repeats the one before
 * bitwise. The first kept frame counts as new (its predecessor is trimmed away).
 */
function cameraRepeats(evidence: TakeEvidence, from: number): Uint8Array[] {
  return CAMERA_STREAMS.map((cam) => {
    const diffs = evidence.frameDiffs(cam);
    const repeats = new Uint8Array(Math.max(0, diffs.length - from));
    for (let i = 1; i < repeats.length; i++) repeats[i] = diffs[from + i] === 0 ? 1 : 0;
    return repeats;
  });
}

function contactFramesExcluding(
  mixed: Float32Array,
  spikes: readonly Interval[],
  from: number,
  threshold: number,
): number {
  let n = 0;
  for (let i = 0; i < mixed.length; i++) {
    const k = i + from;
    if ((mixed[i] as number) > threshold && !spikes.some(([a, b]) => k >= a && k <= b)) n++;
  }
  return n;
}

/** A person's verdict on an earlier run's candidate carries over to the candidate that overlaps it most. */
function manualVerdictFor(previous: readonly FreezeRecord[], h5: Interval): ManualVerdict | null {
  let best: FreezeRecord | undefined;
  let bestOverlap = 0;
  for (const p of previous) {
    if (p.manual_verdict === null) continue;
    const overlap = Math.min(p.h5_b, h5[1]) - Math.max(p.h5_a, h5[0]) + 1;
    if (overlap > bestOverlap) {
      best = p;
      bestOverlap = overlap;
    }
  }
  return best?.manual_verdict ?? null;
}

function freezeRecord(
  episode: string,
  side: Side,
  h5: Interval,
  from: number,
  fps: number,
  signals: readonly string[],
  e: ReturnType<typeof gatherEvidence>,
  d: ReturnType<typeof diagnose>,
  manual: ManualVerdict | null,
): FreezeRecord {
  const perCamera = (values: readonly number[]) =>
    Object.fromEntries(values.map((v, c) => [`cam${c}`, round(v, 4)]));
  return {
    episode,
    side,
    a: h5[0] - from,
    b: h5[1] - from,
    h5_a: h5[0],
    h5_b: h5[1],
    length_s: round((h5[1] - h5[0] + 1) / fps, 4),
    signals,
    trans_vel_near_mps: round(e.transVelNearMps, 4),
    ang_vel_near_rad_s: round(e.angVelNearRadS, 4),
    opt_gap_s: round(e.optGapS, 4),
    invalid_samples: e.invalidSamples,
    camera_dup_fraction: perCamera(e.cameraDupFraction),
    camera_dup_fraction_inside: perCamera(e.cameraDupFractionInside),
    camera_motion: perCamera(e.cameraMotion),
    tactile_dup_fraction: round(e.tactileDupFraction, 4),
    tactile_motion: round(e.tactileMotion, 4),
    verdict: d.verdict,
    verdict_rule: d.rule,
    ot_evidence: d.otEvidence,
    manual_verdict: manual,
  };
}
