import type { Side } from "./samples.js";

export interface ActiveSideEvidence {
  readonly side: Side;
  /** Frames in contact (`mixed` above its threshold), spike frames excluded. */
  readonly contactFrames: number;
  /** Robust extent of the body's travel (m): norm of the per-axis p1–p99 range of valid positions. */
  readonly bodyTravelM: number;
}

export interface ActiveSidesConfig {
  readonly minMotionM: number;
  readonly minContactFrames: number;
}

/** A side is active if its gel shows contact or its body moves more than a few cm (spec §2). */
export function detectActiveSides(
  evidence: readonly ActiveSideEvidence[],
  config: ActiveSidesConfig,
): Side[] {
  return evidence
    .filter((e) => e.contactFrames >= config.minContactFrames || e.bodyTravelM > config.minMotionM)
    .map((e) => e.side);
}
