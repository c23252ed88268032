import type { PoseSample } from "../detectors/samples.js";
import type { BodyHealthEntry, HealthMessage } from "./hubMessages.js";

/** One body's figures over the last second, for /metrics. */
export interface BodyFigures {
  readonly rateHz: number;
  readonly ageS: number;
  /** Share of the last second's samples with the tracking-valid bit set (0 when none arrived). */
  readonly validRatio: number;
}

/** Per-body tracking state, age of the last sample and rate: the operator page's health line. */
export class BodyHealth {
  private readonly bodies = new Map<
    string,
    { valid: boolean; lastRx: number; arrivals: number[]; valids: boolean[] }
  >();

  update(sample: PoseSample): void {
    let body = this.bodies.get(sample.body);
    if (!body) {
      body = { valid: sample.valid, lastRx: sample.rx, arrivals: [], valids: [] };
      this.bodies.set(sample.body, body);
    }
    body.valid = sample.valid;
    body.lastRx = sample.rx;
    body.arrivals.push(sample.rx);
    body.valids.push(sample.valid);
    while ((body.arrivals[0] as number) < sample.rx - 1) {
      body.arrivals.shift();
      body.valids.shift();
    }
  }

  /** Rate, age and valid ratio of every body seen, as of receive time `now`. */
  figures(now: number): Map<string, BodyFigures> {
    const out = new Map<string, BodyFigures>();
    for (const [name, b] of this.bodies) {
      let recent = 0;
      let valid = 0;
      b.arrivals.forEach((rx, i) => {
        if (rx < now - 1) return;
        recent++;
        if (b.valids[i]) valid++;
      });
      out.set(name, {
        rateHz: recent,
        ageS: Math.max(0, now - b.lastRx),
        validRatio: recent === 0 ? 0 : valid / recent,
      });
    }
    return out;
  }

  /** `{type: "health", bodies}` as of receive time `now`. */
  snapshot(now: number): HealthMessage {
    const bodies: Record<string, BodyHealthEntry> = {};
    for (const [name, b] of this.bodies) {
      let recent = 0;
      for (let i = 0; i < b.arrivals.length; i++) if ((b.arrivals[i] as number) >= now - 1) recent++;
      bodies[name] = { valid: b.valid, ageS: Math.max(0, now - b.lastRx), rateHz: recent };
    }
    return { type: "health", bodies };
  }
}
