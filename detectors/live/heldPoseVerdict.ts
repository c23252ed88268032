import {
  classifyFreeze,
  type FreezeClassifierConfig,
  type FreezeDiagnosis,
  type FreezeEvidence,
  type FreezeVerdict,
} from "../freezeClassifier.js";
import type { OtWindowEvidence } from "../ot/index.js";
import { CAMERA_STREAMS, type Side } from "../samples.js";
import type { SceneHistory } from "./SceneHistory.js";

/** A live hold: when its value first appeared, and now. */
export interface HoldSpan {
  readonly start: number;
  readonly now: number;
}

export interface HeldPoseVerdict {
  /** The spec's verdict on the evidence so far; "unknown" when the cameras said nothing (no tap). */
  readonly verdict: FreezeVerdict | "unknown";
  readonly rule: FreezeDiagnosis["rule"] | undefined;
  /** The evidence says the mocap lost the body: rule 2 (gap, jump, invalid samples) or rule 5 (the scene moves). */
  readonly otLoss: boolean;
  readonly evidence: FreezeEvidence;
}

/**
 * The scene half of a live hold's evidence, causally: each camera's duplicate fraction over the last
 * `windowS` (the offline window, cut at now) and during the hold; motion, and the body's GelSight,
 * during the hold only: the motion that led into a rest says nothing about the rest itself.
 * `known` is false unless every camera has at least one thumbnail pair in the hold.
 */
export function heldSceneEvidence(
  scene: SceneHistory,
  side: Side | undefined,
  hold: HoldSpan,
  windowS: number,
): { readonly known: boolean; readonly evidence: Omit<FreezeEvidence, keyof OtWindowEvidence> } {
  const inHold = CAMERA_STREAMS.map((cam) => scene.activity(cam, hold.start, hold.now));
  const lastWindow = CAMERA_STREAMS.map((cam) =>
    scene.activity(cam, Math.min(hold.now - windowS, hold.start), hold.now),
  );
  const gel = side ? scene.activity(`gel_${side}`, hold.start, hold.now) : undefined;
  const known = inHold.every((a) => a.pairs > 0 && !Number.isNaN(a.motion));
  return {
    known,
    evidence: {
      cameraDupFraction: lastWindow.map((a) => a.dupFraction),
      cameraDupFractionInside: inHold.map((a) => a.dupFraction),
      cameraMotion: inHold.map((a) => (Number.isNaN(a.motion) ? 0 : a.motion)),
      tactileDupFraction: gel?.dupFraction ?? 0,
      // No GelSight (the motherboard, or an unplugged gel): the cameras decide alone.
      tactileMotion: gel && !Number.isNaN(gel.motion) ? gel.motion : 0,
    },
  };
}

/**
 * Spec §3's verdict on a live hold, by the offline classifier's own code (`classifyFreeze`, first
 * match wins). Without camera evidence only rule 2 can speak: the OT statistics alone say a loss,
 * nothing says a rest.
 */
export function heldPoseVerdict(
  ot: OtWindowEvidence,
  scene: ReturnType<typeof heldSceneEvidence>,
  config: FreezeClassifierConfig,
): HeldPoseVerdict {
  const evidence: FreezeEvidence = { ...ot, ...scene.evidence };
  const d = classifyFreeze(evidence, config);
  if (!scene.known) {
    return d.otEvidence
      ? { verdict: "ot_loss", rule: 2, otLoss: true, evidence }
      : { verdict: "unknown", rule: undefined, otLoss: false, evidence };
  }
  // A stall explains a still pose unless OT's own clock shows the loss too (as offline, isOtLoss).
  const otLoss = d.verdict === "ot_loss" || (d.verdict === "pipeline_stall" && d.otEvidence);
  return { verdict: d.verdict, rule: d.rule, otLoss, evidence };
}
