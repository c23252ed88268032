import type { PoseSample } from "../samples.js";
import { distance, isUsablePose, rotationAngle, samePose } from "./quaternion.js";

export interface TeleportConfig {
  readonly velocityMps: number;
  readonly angularRadS: number;
  readonly combine: "or" | "and";
  /** A pair spanning at least this long is a re-acquisition after OT loss, never a teleport. */
  readonly otGapS: number;
  readonly invalidQuatNorm: number;
}

export interface TeleportEvent {
  readonly body: string;
  /** Source times of the pair's endpoints. */
  readonly tA: number;
  readonly tB: number;
  readonly velocityMps: number;
  readonly angularRadS: number;
}

/**
 * Pose teleports on raw OT samples with their real dt (spec §3). "Real" dt is measured from when the
 * previous pose value first appeared: a held pose that jumps on release moved over the whole hold, so
 * that jump belongs to the OT-loss event, not to a teleport. Invalid samples are never endpoints.
 */
export class TeleportDetector {
  private prev: PoseSample | undefined;
  private prevValueStart = 0;

  constructor(
    readonly body: string,
    private readonly config: TeleportConfig,
  ) {}

  push(sample: PoseSample): TeleportEvent | undefined {
    const { config } = this;
    if (!sample.valid || !isUsablePose(sample.position, sample.quaternion, config.invalidQuatNorm))
      return undefined;
    const prev = this.prev;
    if (prev !== undefined && !(sample.t > prev.t)) return undefined; // out of order: the loss detector counts it
    this.prev = sample;
    if (prev === undefined) {
      this.prevValueStart = sample.t;
      return undefined;
    }
    if (samePose(prev.position, prev.quaternion, sample.position, sample.quaternion)) return undefined;
    const dt = sample.t - this.prevValueStart;
    this.prevValueStart = sample.t;
    if (dt >= config.otGapS) return undefined;
    const velocityMps = distance(prev.position, sample.position) / dt;
    const angularRadS = rotationAngle(prev.quaternion, sample.quaternion) / dt;
    const fast = velocityMps > config.velocityMps;
    const spinning = angularRadS > config.angularRadS;
    const teleport = config.combine === "or" ? fast || spinning : fast && spinning;
    return teleport ? { body: this.body, tA: prev.t, tB: sample.t, velocityMps, angularRadS } : undefined;
  }
}
