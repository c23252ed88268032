import type { PoseSample } from "../detectors/samples.js";
import type { BodyHealthEntry, HealthMessage } from "./hubMessages.js";

/** Per-body tracking state, age of the last sample and rate: the operator page's health line. */
export class BodyHealth {
  private readonly bodies = new Map<string, { valid: boolean; lastRx: number; arrivals: number[] }>();

  update(sample: PoseSample): void {
    let body = this.bodies.get(sample.body);
    if (!body) {
      body = { valid: sample.valid, lastRx: sample.rx, arrivals: [] };
      this.bodies.set(sample.body, body);
    }
    body.valid = sample.valid;
    body.lastRx = sample.rx;
    body.arrivals.push(sample.rx);
    while ((body.arrivals[0] as number) < sample.rx - 1) body.arrivals.shift();
  }

  /** `{type: "health", bodies}` as of receive time `now`. */
  snapshot(now: number): HealthMessage {
    const bodies: Record<string, BodyHealthEntry> = {};
    for (const [name, b] of this.bodies) {
      const recent = b.arrivals.filter((rx) => rx >= now - 1).length;
      bodies[name] = { valid: b.valid, ageS: Math.max(0, now - b.lastRx), rateHz: recent };
    }
    return { type: "health", bodies };
  }
}
