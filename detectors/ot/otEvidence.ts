import { rowPosition, rowQuaternion } from "./poseRows.js";
import { distance, isUsablePose, rotationAngle } from "./quaternion.js";

export interface OtWindowEvidence {
  readonly transVelNearMps: number;
  readonly angVelNearRadS: number;
  readonly optGapS: number;
  readonly invalidSamples: boolean;
}

/**
 * OT statistics of a freeze candidate's window [w0, w1] (spec §3): the fastest raw sample pair whose
 * midpoint lies in the window (real dt, so a re-acquisition jump after a hold shows), the largest gap
 * between valid samples touching the window (window edges count when no sample lies beyond them), and
 * whether any sample in the window was invalid. `pose` is N×7 (x, y, z, qx, qy, qz, qw).
 */
export function otWindowEvidence(
  times: Float64Array,
  pose: Float64Array,
  w0: number,
  w1: number,
  invalidQuatNorm: number,
): OtWindowEvidence {
  let transVelNearMps = 0;
  let angVelNearRadS = 0;
  let invalidSamples = false;
  let optGapS = 0;
  let prev = -1;
  let lastBefore = Number.NaN;
  let firstAfter = Number.NaN;
  for (let i = 0; i < times.length; i++) {
    const t = times[i] as number;
    const usable = isUsableRow(pose, i, invalidQuatNorm);
    if (!usable) {
      if (t >= w0 && t <= w1) invalidSamples = true;
      continue;
    }
    if (t < w0) lastBefore = t;
    else if (t > w1 && Number.isNaN(firstAfter)) firstAfter = t;
    if (prev >= 0) {
      const tp = times[prev] as number;
      const dt = t - tp;
      if (dt > 0 && t >= w0 && tp <= w1) optGapS = Math.max(optGapS, dt);
      const mid = (t + tp) / 2;
      if (dt > 0 && mid >= w0 && mid <= w1) {
        transVelNearMps = Math.max(transVelNearMps, translation(pose, prev, i) / dt);
        angVelNearRadS = Math.max(angVelNearRadS, rotation(pose, prev, i) / dt);
      }
    }
    prev = i;
  }
  // No valid sample before (after) the window: the silence runs from (to) the window's edge.
  const inside = validTimesWithin(times, pose, w0, w1, invalidQuatNorm);
  if (inside.length === 0) {
    if (Number.isNaN(lastBefore) || Number.isNaN(firstAfter)) {
      optGapS = Math.max(optGapS, w1 - w0);
    }
  } else {
    if (Number.isNaN(lastBefore)) optGapS = Math.max(optGapS, (inside[0] as number) - w0);
    if (Number.isNaN(firstAfter)) optGapS = Math.max(optGapS, w1 - (inside[inside.length - 1] as number));
  }
  return { transVelNearMps, angVelNearRadS, optGapS, invalidSamples };
}

function validTimesWithin(times: Float64Array, pose: Float64Array, w0: number, w1: number, minNorm: number) {
  const out: number[] = [];
  for (let i = 0; i < times.length; i++) {
    const t = times[i] as number;
    if (t >= w0 && t <= w1 && isUsableRow(pose, i, minNorm)) out.push(t);
  }
  return out;
}

function isUsableRow(pose: Float64Array, i: number, minNorm: number): boolean {
  return isUsablePose(rowPosition(pose, i), rowQuaternion(pose, i), minNorm);
}

function translation(pose: Float64Array, a: number, b: number): number {
  return distance(rowPosition(pose, a), rowPosition(pose, b));
}

function rotation(pose: Float64Array, a: number, b: number): number {
  return rotationAngle(rowQuaternion(pose, a), rowQuaternion(pose, b));
}
