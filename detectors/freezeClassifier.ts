/** What a freeze candidate turned out to be (spec §3, "Cross-modal diagnosis"). */
export type FreezeVerdict = "pipeline_stall" | "ot_loss" | "real_still" | "ambiguous";

export interface FreezeEvidence {
  readonly transVelNearMps: number;
  readonly angVelNearRadS: number;
  readonly optGapS: number;
  /** Some OT samples in the window were invalid (valid bit clear, zero or NaN quaternion). */
  readonly invalidSamples: boolean;
  /** Per RealSense camera: share of consecutive frame pairs that are bitwise equal, over the window. */
  readonly cameraDupFraction: readonly number[];
  /** The same over the candidate's own frames: a stall explains a freeze only if it covers it. */
  readonly cameraDupFractionInside: readonly number[];
  /** Per RealSense camera: mean absolute difference of consecutive frames (duplicates count 0). */
  readonly cameraMotion: readonly number[];
  readonly tactileDupFraction: number;
  readonly tactileMotion: number;
}

export interface FreezeClassifierConfig {
  readonly stallDupFraction: number;
  readonly otGapS: number;
  readonly velocityMps: number;
  readonly angularRadS: number;
  readonly stillCameraMotion: number;
  readonly stillTactileMotion: number;
  readonly ambiguousCameraMotion: number;
  readonly ambiguousTactileMotion: number;
}

/** The five rules, first match wins; `rule` says which one decided (1–5). */
export interface FreezeDiagnosis {
  readonly verdict: FreezeVerdict;
  readonly rule: 1 | 2 | 3 | 4 | 5;
  /** Rule 2's OT evidence holds on its own (gap, invalid samples, re-acquisition speed). */
  readonly otEvidence: boolean;
}

export function classifyFreeze(e: FreezeEvidence, c: FreezeClassifierConfig): FreezeDiagnosis {
  // GelSight is left out of the stall rule: the gel only changes under contact. A stall next to an
  // OT fault does not explain it: the cameras must repeat over the candidate's own frames too.
  const stalled = (fractions: readonly number[]) =>
    fractions.length > 0 && fractions.every((d) => d >= c.stallDupFraction);
  const otEvidence =
    e.optGapS >= c.otGapS ||
    e.transVelNearMps >= c.velocityMps ||
    e.angVelNearRadS >= c.angularRadS ||
    e.invalidSamples;
  if (stalled(e.cameraDupFraction) && stalled(e.cameraDupFractionInside)) {
    return { verdict: "pipeline_stall", rule: 1, otEvidence };
  }
  if (otEvidence) return { verdict: "ot_loss", rule: 2, otEvidence };
  const cameraBelow = (limit: number) => e.cameraMotion.every((m) => m < limit);
  if (cameraBelow(c.stillCameraMotion) && e.tactileMotion < c.stillTactileMotion)
    return { verdict: "real_still", rule: 3, otEvidence };
  if (cameraBelow(c.ambiguousCameraMotion) && e.tactileMotion < c.ambiguousTactileMotion) {
    return { verdict: "ambiguous", rule: 4, otEvidence };
  }
  return { verdict: "ot_loss", rule: 5, otEvidence };
}

/**
 * Whether the candidate's frames go into the side's OT-loss list: `ot_loss` and `ambiguous` do
 * (conservative), `real_still` does not. A `pipeline_stall` verdict goes to the stall list; when OT's own
 * clock also shows the loss (a gap, invalid samples, a re-acquisition jump) the frames are in both: a
 * stall over the same frames does not make the mocap's loss any less real.
 */
export function isOtLoss(d: FreezeDiagnosis): boolean {
  return (
    d.verdict === "ot_loss" || d.verdict === "ambiguous" || (d.verdict === "pipeline_stall" && d.otEvidence)
  );
}
