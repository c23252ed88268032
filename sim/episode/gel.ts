import { lowerBound } from "./clock.js";
import type { ContactSchedule, ContactState } from "./contact.js";
import type { Side } from "./layout.js";
import { addGelTexture, type RealisticNoise } from "./sensorNoise.js";

/** RGB gain of a contact blob at full press: max per-pixel L2 ≈ 43 levels, as in the fixture. */
const BLOB_RGB = [32, 19, -22] as const;
/** LED flicker: adds ≈ 100 to the per-pixel RGB L2 distance (the fixture's flicker is ≈ 119). */
export const FLICKER_RGB = [72, -52, 48] as const;

const clamp8 = (v: number) => Math.min(255, Math.max(0, v));

/**
 * The untouched gel: a lit dome, brighter in the middle, quantised in steps of 16 levels like the
 * fixture so frames compress well. Each side's dome sits a little off-centre in its own direction.
 */
export function gelBase(side: Side, h: number, w: number, brighten = 0): Uint8Array {
  const lo = [96, 112, 128];
  const hi = [144, 144, 176];
  const cx = w * (side === "left" ? 0.48 : 0.53);
  const cy = h * (side === "left" ? 0.52 : 0.47);
  const out = new Uint8Array(h * w * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const r2 = ((x - cx) / (0.6 * w)) ** 2 + ((y - cy) / (0.6 * h)) ** 2;
      const shade = Math.max(0, 1 - r2);
      for (let c = 0; c < 3; c++) {
        const span = (hi[c] as number) - (lo[c] as number);
        const level = (lo[c] as number) + 16 * Math.round((shade * span) / 16);
        out[(y * w + x) * 3 + c] = clamp8(level + brighten);
      }
    }
  }
  return out;
}

export interface GelOptions {
  readonly side: Side;
  readonly height: number;
  readonly width: number;
  /** Camera tick times. */
  readonly ts: Float64Array;
  /** GelSight's own frame times (~22 Hz); a tick shows the latest gel frame, so repeats are normal. */
  readonly clock: Float64Array;
  readonly schedule: ContactSchedule;
  /** Motion time of the side's body at wall time t (a rest freezes the gel too). */
  readonly tau: (t: number) => number;
  /** Ticks whose gel frame is a flicker. */
  readonly flicker: ReadonlySet<number>;
  /** Drift: from this tick on, the baseline is brighter by `brighten`. */
  readonly drift?: { readonly from: number; readonly brighten: number };
  /**
   * Realistic sensor: the gel's own texture on its baseline and fresh jitter on every new gel frame
   * (a tick showing the same gel frame still repeats it bitwise). Without it, frames are noiseless.
   */
  readonly noise?: { readonly seed: number; readonly dense: RealisticNoise };
}

/**
 * Renders one side's GelSight stream tick by tick, holding one frame: a tick with no new gel frame,
 * or a new one showing the same contact state, returns the previous buffer unchanged (a bitwise repeat).
 */
export class GelRenderer {
  private readonly base: Uint8Array;
  private readonly drifted: Uint8Array | undefined;
  private readonly frame: Uint8Array;
  private readonly scratch: Uint8Array;
  /** The drawn contact state before jitter (realistic noise only). */
  private readonly drawn: Uint8Array | undefined;
  private lastKey = "";
  private lastGelFrame = -1;

  constructor(private readonly o: GelOptions) {
    const sideIndex = o.side === "left" ? 0 : 1;
    const textured = (image: Uint8Array) => {
      if (o.noise) addGelTexture(o.noise.seed, sideIndex, o.height, o.width, image);
      return image;
    };
    this.base = textured(gelBase(o.side, o.height, o.width));
    this.drifted = o.drift ? textured(gelBase(o.side, o.height, o.width, o.drift.brighten)) : undefined;
    this.frame = new Uint8Array(this.base.length);
    this.scratch = new Uint8Array(this.base.length);
    this.drawn = o.noise ? new Uint8Array(this.base.length) : undefined;
  }

  /** The gel image of tick k (valid until the next call). Call with k = 0, 1, 2, … */
  render(k: number): Uint8Array {
    const { ts, clock, drift } = this.o;
    const i = Math.max(0, lowerBound(clock, ts[k] as number, true) - 1);
    const state = this.o.schedule.at(this.o.tau(clock[i] as number));
    const drifted = drift !== undefined && k >= drift.from;
    const press = Math.round(state.press * 1024);
    const key =
      press === 0 ? `${drifted}` : `${drifted}:${press}:${state.cx.toFixed(4)}:${state.cy.toFixed(4)}`;
    if (this.drawn && this.o.noise) {
      // A real gel's every new frame has fresh sensor noise, whatever it shows.
      if (key !== this.lastKey)
        this.draw(drifted ? (this.drifted as Uint8Array) : this.base, state, this.drawn);
      if (key !== this.lastKey || i !== this.lastGelFrame) {
        this.frame.set(this.drawn);
        this.o.noise.dense.gelFrame(20 + (this.o.side === "left" ? 0 : 1), i, this.frame);
      }
      this.lastGelFrame = i;
      this.lastKey = key;
    } else if (key !== this.lastKey) {
      this.draw(drifted ? (this.drifted as Uint8Array) : this.base, state, this.frame);
      this.lastKey = key;
    }
    if (!this.o.flicker.has(k)) return this.frame;
    for (let p = 0; p < this.frame.length; p += 3) {
      for (let c = 0; c < 3; c++)
        this.scratch[p + c] = clamp8((this.frame[p + c] as number) + (FLICKER_RGB[c] as number));
    }
    return this.scratch;
  }

  /** Baseline plus a smooth Gaussian press blob (separable, drawn only in its bounding box). */
  private draw(base: Uint8Array, state: ContactState, into: Uint8Array): void {
    into.set(base);
    if (state.press <= 0) return;
    const { height: h, width: w } = this.o;
    const sigma = 0.1 * Math.min(h, w);
    const cx = state.cx * w;
    const cy = state.cy * h;
    const x0 = Math.max(0, Math.floor(cx - 3 * sigma));
    const x1 = Math.min(w - 1, Math.ceil(cx + 3 * sigma));
    const y0 = Math.max(0, Math.floor(cy - 3 * sigma));
    const y1 = Math.min(h - 1, Math.ceil(cy + 3 * sigma));
    const gx = new Float64Array(x1 - x0 + 1);
    for (let x = x0; x <= x1; x++) gx[x - x0] = Math.exp(-((x - cx) ** 2) / (2 * sigma * sigma));
    for (let y = y0; y <= y1; y++) {
      const gy = state.press * Math.exp(-((y - cy) ** 2) / (2 * sigma * sigma));
      for (let x = x0; x <= x1; x++) {
        const g = gy * (gx[x - x0] as number);
        const p = (y * w + x) * 3;
        for (let c = 0; c < 3; c++) {
          into[p + c] = clamp8((base[p + c] as number) + Math.round(g * (BLOB_RGB[c] as number)));
        }
      }
    }
  }
}
