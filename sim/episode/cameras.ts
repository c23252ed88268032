import { CAMERAS, type Camera } from "./layout.js";
import { rngFor, STREAM } from "./prng.js";
import type { RealisticNoise } from "./sensorNoise.js";

/** Background of each camera, BGR, and its depth (mm): flat, like the fixture. */
const BACKGROUND: Record<Camera, { bgr: [number, number, number]; depth: number }> = {
  cam0: { bgr: [60, 90, 120], depth: 700 },
  cam1: { bgr: [80, 90, 120], depth: 730 },
  cam2: { bgr: [100, 90, 120], depth: 760 },
};

/**
 * A fixed orthographic view per camera: pixel offset = scale × (a·dx + b·dy, -(dz + c·dy)) from the
 * scene centre, so every body displacement moves its square in all three views (cam0 right, cam1 left,
 * cam2 middle).
 */
const VIEW: Record<Camera, { a: number; b: number; c: number }> = {
  cam0: { a: 0.8, b: -0.6, c: 0.3 },
  cam1: { a: 0.8, b: 0.6, c: -0.3 },
  cam2: { a: 1, b: 0, c: 0.5 },
};
const SCENE_CENTRE = [0.265, 0.04, 0.25] as const;
const PX_PER_M_AT_640 = 900;

/** A square drawn for one body: its true position and its colour (BGR). */
export interface Marker {
  readonly position: ArrayLike<number>;
  readonly bgr: readonly [number, number, number];
}

/** Share of pixels that get sensor noise each frame (±2 levels): frames never repeat bitwise by accident. */
const NOISE_FRACTION = 0.004;

export interface CameraRendererOptions {
  readonly seed: number;
  readonly cam: Camera;
  readonly height: number;
  readonly width: number;
  /** Dense sensor noise (the realistic preset); without it, sparse noise only. */
  readonly noise?: RealisticNoise;
}

/**
 * One RealSense stream: flat background, one square per sensor body at its projected position (depth
 * tracks the body's height), plus per-frame noise drawn from (seed, camera, tick): sparse by default,
 * so a still scene changes by well under one level on average while no two frames are bitwise equal;
 * dense with `noise` (every byte jitters, depth has speckle), as a real sensor's frames do.
 */
export class CameraRenderer {
  private readonly seed: number;
  private readonly cam: Camera;
  private readonly h: number;
  private readonly w: number;
  private readonly dense: RealisticNoise | undefined;
  private readonly index: number;
  private readonly background: Uint8Array;
  private readonly size: number;

  constructor({ seed, cam, height: h, width: w, noise }: CameraRendererOptions) {
    this.seed = seed;
    this.cam = cam;
    this.h = h;
    this.w = w;
    this.dense = noise;
    this.index = CAMERAS.indexOf(cam);
    this.size = Math.max(8, Math.round((50 * w) / 640));
    const bgr = BACKGROUND[cam].bgr;
    this.background = new Uint8Array(h * w * 3);
    for (let p = 0; p < this.background.length; p += 3) this.background.set(bgr, p);
  }

  render(k: number, markers: readonly Marker[], color: Uint8Array, depth: Uint16Array): void {
    const { h, w } = this;
    color.set(this.background);
    depth.fill(BACKGROUND[this.cam].depth);
    const view = VIEW[this.cam];
    const scale = (PX_PER_M_AT_640 * w) / 640;
    for (const m of markers) {
      const dx = (m.position[0] as number) - SCENE_CENTRE[0];
      const dy = (m.position[1] as number) - SCENE_CENTRE[1];
      const dz = (m.position[2] as number) - SCENE_CENTRE[2];
      const u = Math.round(w / 2 + scale * (view.a * dx + view.b * dy) - this.size / 2);
      const v = Math.round(h / 2 - scale * (dz + view.c * dy) - this.size / 2);
      const d = Math.round(600 - 400 * dz);
      for (let y = Math.max(0, v); y < Math.min(h, v + this.size); y++) {
        for (let x = Math.max(0, u); x < Math.min(w, u + this.size); x++) {
          color.set(m.bgr, (y * w + x) * 3);
          depth[y * w + x] = d;
        }
      }
    }
    this.noise(k, color, depth);
  }

  private noise(k: number, color: Uint8Array, depth: Uint16Array): void {
    if (this.dense) {
      this.dense.colourFrame(this.index, k, color);
      this.dense.depthFrame(10 + this.index, k, depth);
      return;
    }
    const pixels = this.h * this.w;
    const count = Math.max(16, Math.round(pixels * NOISE_FRACTION));
    const rng = rngFor(this.seed, STREAM.cameraNoise, this.index, k);
    for (let i = 0; i < count; i++) {
      const p = Math.floor(rng() * pixels) * 3 + Math.floor(rng() * 3);
      const v = (color[p] as number) + (rng() < 0.5 ? -2 : 2);
      color[p] = Math.min(255, Math.max(0, v));
    }
    const drng = rngFor(this.seed, STREAM.depthNoise, this.index, k);
    for (let i = 0; i < count; i++) {
      const p = Math.floor(drng() * pixels);
      depth[p] = (depth[p] as number) + Math.floor(drng() * 7) - 3;
    }
  }
}
