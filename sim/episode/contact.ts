import type { Side } from "./layout.js";
import { rngFor, STREAM, uniform } from "./prng.js";
import { type ContactTiming, DEFAULT_CONTACT_TIMING } from "./scenario.js";

/** A contact of the gel, in the side's motion time (so a rest freezes it like the body). */
interface Contact {
  readonly t0: number;
  readonly t1: number;
  readonly phaseX: number;
  readonly phaseY: number;
}

/** Contact state of a gel at one moment: press depth 0..1 and blob centre as a fraction of the image. */
export interface ContactState {
  readonly press: number;
  readonly cx: number;
  readonly cy: number;
}

const RAMP_S = 0.2;
const smoothstep = (x: number) => (x <= 0 ? 0 : x >= 1 ? 1 : x * x * (3 - 2 * x));

/**
 * When an active side touches something: by default presses of 0.8–1.8 s separated by 2–3.5 s, the
 * first after 1–2 s (scenario `contacts`). Frame 0 is never in contact and most of the take is not, so the p01 reference (the frame
 * nearest the take's median gel image, spec §4) is an untouched gel and the drift of a clean take is ~0.
 */
export class ContactSchedule {
  private readonly contacts: Contact[] = [];

  constructor(
    seed: number,
    side: Side,
    active: boolean,
    durationS: number,
    timing: ContactTiming = DEFAULT_CONTACT_TIMING,
  ) {
    if (!active) return;
    const rng = rngFor(seed, STREAM.contact, side === "left" ? 0 : 1);
    let t = uniform(rng, ...timing.firstS);
    while (t < durationS + 1) {
      const t1 = t + uniform(rng, ...timing.pressS);
      this.contacts.push({
        t0: t,
        t1,
        phaseX: uniform(rng, 0, 2 * Math.PI),
        phaseY: uniform(rng, 0, 2 * Math.PI),
      });
      t = t1 + uniform(rng, ...timing.gapS);
    }
  }

  /** State at motion time tau (seconds since the epoch, rests excluded). */
  at(tau: number): ContactState {
    for (const c of this.contacts) {
      if (tau < c.t0 || tau > c.t1) continue;
      const press = smoothstep((tau - c.t0) / RAMP_S) * smoothstep((c.t1 - tau) / RAMP_S);
      // The blob slides a little while pressed, so consecutive contact frames differ.
      const cx = 0.5 + 0.12 * Math.sin(2 * Math.PI * 0.3 * tau + c.phaseX);
      const cy = 0.5 + 0.1 * Math.sin(2 * Math.PI * 0.23 * tau + c.phaseY);
      return { press, cx, cy };
    }
    return { press: 0, cx: 0.5, cy: 0.5 };
  }
}
