import { FrameOwner, lowerBound, sampleClock } from "./clock.js";
import { BODIES, type Body } from "./layout.js";
import type { Motion } from "./motion.js";
import { gauss, rngFor, STREAM } from "./prng.js";
import { quatFromAxisAngle, quatFromRotvec, quatMul } from "./quat.js";
import type { Fault, ResolvedScenario } from "./scenario.js";

/** One body's samples as the recorder stores them: times [N], poses [N,7] row-major. */
export interface OtStream {
  readonly times: Float64Array;
  readonly poses: Float64Array;
}

interface Touched {
  readonly body: Body;
  readonly fault: Fault;
  /** First affected sample. */
  readonly first: number;
}

/**
 * What a fault did to the samples, in indices of the shared OT clock (`grid`), for truth.ts. Indices
 * stay valid after samples are dropped because the stored times are a subset of the grid.
 */
export type OtEvidence =
  /** Samples first..last are bitwise copies of sample first-1 (held, or a rest when `still`). */
  | (Touched & { readonly kind: "held"; readonly last: number; readonly still: boolean })
  /** Samples first..last were dropped. */
  | (Touched & { readonly kind: "gap"; readonly last: number })
  /** Samples first..last have a zero quaternion. */
  | (Touched & { readonly kind: "invalid"; readonly last: number })
  /** Samples first, first+1 are off: the jumping pairs are (first-1 → first) and (first+1 → first+2). */
  | (Touched & { readonly kind: "translation" | "rotation" })
  /** Quaternions negated from sample `first` on. */
  | (Touched & { readonly kind: "sign_flip" });

export interface OtPlan {
  /** The shared OT clock: every sample time any body could have. */
  readonly grid: Float64Array;
  readonly streams: Record<Body, OtStream>;
  readonly evidence: readonly OtEvidence[];
}

/** Position noise of a tracked rigid body (m, 1σ): samples of a still body are never bitwise equal. */
const POSITION_NOISE_M = 0.00015;

/**
 * Grid samples [first, last] held bitwise over camera frames [start, end]: first is the first sample
 * owned by `start`, and the held value is the sample before it.
 */
export function heldSamples(
  grid: Float64Array,
  owner: FrameOwner,
  start: number,
  end: number,
): [number, number] {
  const first = lowerBound(grid, owner.ts[start - 1] as number, true);
  const last = lowerBound(grid, owner.ts[end] as number, true) - 1;
  return [first, last];
}

/**
 * The shared OT clock: from 5 ms before the epoch (so frame 0, at or after the epoch, always owns a sample) to just past the last
 * tick, with ±13.5 % jitter per sample, which gives the fixture's 6–10.5 ms sample spacing at 120 Hz.
 */
export function otClock(s: ResolvedScenario, ts: Float64Array, epochS: number): Float64Array {
  return sampleClock(
    rngFor(s.seed, STREAM.otClock),
    epochS - 0.005,
    (ts[ts.length - 1] as number) + 0.03,
    s.otHz,
    0.135,
  );
}

/** True poses plus noise on the OT clock, then every OT fault of the scenario applied in a fixed order. */
export function planOt(s: ResolvedScenario, ts: Float64Array, grid: Float64Array, motion: Motion): OtPlan {
  const owner = new FrameOwner(ts);
  const n = grid.length;
  const poses = {} as Record<Body, Float64Array>;
  const keep = {} as Record<Body, Uint8Array>;
  BODIES.forEach((body, b) => {
    const p = new Float64Array(n * 7);
    const rng = rngFor(s.seed, STREAM.otNoise, b);
    for (let j = 0; j < n; j++) {
      motion.pose(body, grid[j] as number, p, j * 7);
      for (let i = 0; i < 3; i++) p[j * 7 + i] = (p[j * 7 + i] as number) + POSITION_NOISE_M * gauss(rng);
    }
    poses[body] = p;
    keep[body] = new Uint8Array(n).fill(1);
  });
  const evidence: OtEvidence[] = [];
  const firstOwnedBy = (k: number) => lowerBound(grid, ts[k - 1] as number, true);
  const pickSample = (k: number, sample: number | undefined): number => {
    const [i0, i1] = owner.ownedRange(grid, k);
    const s0 = sample ?? 0;
    const g = s0 >= 0 ? i0 + s0 : i1 + s0;
    if (g < i0 || g >= i1)
      throw new Error(`frame ${k} owns samples ${i0}..${i1 - 1}; sample ${s0} is not one of them`);
    return g;
  };
  const copyHeld = (body: Body, first: number, last: number) => {
    const p = poses[body];
    for (let j = first; j <= last; j++) p.copyWithin(j * 7, (first - 1) * 7, first * 7);
  };

  // 1. Held values (OT loss and rests): bitwise copies of the sample before the span.
  for (const f of s.faults) {
    if (f.type === "held") {
      const [first, last] = heldSamples(grid, owner, f.start, f.end);
      copyHeld(f.body, first, last);
      evidence.push({ kind: "held", body: f.body, fault: f, first, last, still: false });
    } else if (f.type === "real_still") {
      const [first, last] = heldSamples(grid, owner, f.start, f.end);
      for (const body of f.bodies ?? ["sensor_left", "sensor_right"]) {
        copyHeld(body, first, last);
        evidence.push({ kind: "held", body, fault: f, first, last, still: true });
      }
    }
  }
  // 2. Sign flips, before the glitches so a later zero quaternion stays +0.
  for (const f of s.faults) {
    if (f.type !== "sign_flip") continue;
    const p = poses[f.body];
    const first = firstOwnedBy(f.at);
    for (let j = first; j < n; j++) for (let i = 3; i < 7; i++) p[j * 7 + i] = -(p[j * 7 + i] as number);
    evidence.push({ kind: "sign_flip", body: f.body, fault: f, first });
  }
  // 3. Two-sample solver glitches and invalid samples.
  for (const f of s.faults) {
    if (f.type === "teleport_translation") {
      const p = poses[f.body];
      const g = pickSample(f.at, f.sample);
      const [dx, dy, dz] = f.direction ?? [1, 0, 0];
      const scale = (f.meters ?? 0.2) / Math.hypot(dx, dy, dz);
      for (const j of [g, g + 1]) {
        p[j * 7] = (p[j * 7] as number) + dx * scale;
        p[j * 7 + 1] = (p[j * 7 + 1] as number) + dy * scale;
        p[j * 7 + 2] = (p[j * 7 + 2] as number) + dz * scale;
      }
      evidence.push({ kind: "translation", body: f.body, fault: f, first: g });
    } else if (f.type === "teleport_rotation") {
      const p = poses[f.body];
      const g = pickSample(f.at, f.sample);
      const radians = ((f.degrees ?? 180) * Math.PI) / 180;
      const axis = f.axis ?? "x";
      let flip: number[];
      if (typeof axis === "string") flip = quatFromAxisAngle(axis, radians);
      else {
        const norm = Math.hypot(...axis);
        flip = quatFromRotvec(...(axis.map((v) => (v / norm) * radians) as [number, number, number]));
      }
      for (const j of [g, g + 1])
        p.set(quatMul(Array.from(p.subarray(j * 7 + 3, j * 7 + 7)), flip), j * 7 + 3);
      evidence.push({ kind: "rotation", body: f.body, fault: f, first: g });
    } else if (f.type === "zero_quat") {
      const p = poses[f.body];
      const first = firstOwnedBy(f.at);
      const last = first + (f.count ?? 3) - 1;
      for (let j = first; j <= last; j++) p.fill(0, j * 7 + 3, j * 7 + 7);
      evidence.push({ kind: "invalid", body: f.body, fault: f, first, last });
    }
  }
  // 4. Dropped samples: gaps leave the last sample of `start` and the first of `end` in place.
  for (const f of s.faults) {
    if (f.type !== "gap") continue;
    const first = lowerBound(grid, ts[f.start] as number, true);
    const last = lowerBound(grid, ts[f.end - 1] as number, true) - 1;
    keep[f.body].fill(0, first, last + 1);
    evidence.push({ kind: "gap", body: f.body, fault: f, first, last });
  }
  // 5. OT-uninitialised prefix: a trickle for every body, none within 0.6 s of the steady start so the
  //    steady stretch of spec §2 (no gap > 0.5 s) begins exactly at the first steady sample.
  if (s.prefixFrames > 0) {
    const steadyAfter = ts[s.prefixFrames - 1] as number;
    const step = s.trickleHz > 0 ? Math.round(s.otHz / s.trickleHz) : 0;
    for (const body of BODIES) {
      for (let j = 0; j < n && (grid[j] as number) <= steadyAfter; j++) {
        const trickle = step > 0 && j % step === 0 && (grid[j] as number) <= steadyAfter - 0.6;
        if (!trickle) keep[body][j] = 0;
      }
    }
  }

  const streams = {} as Record<Body, OtStream>;
  for (const body of BODIES) {
    const k = keep[body];
    const count = k.reduce((a, v) => a + v, 0);
    const times = new Float64Array(count);
    const out = new Float64Array(count * 7);
    for (let j = 0, m = 0; j < n; j++) {
      if (!k[j]) continue;
      times[m] = grid[j] as number;
      out.set(poses[body].subarray(j * 7, j * 7 + 7), m * 7);
      m++;
    }
    streams[body] = { times, poses: out };
  }
  return { grid, streams, evidence };
}
