import type { Body, Compression, SensorBody, Side } from "./layout.js";
import type { Axis } from "./quat.js";
import type { SensorNoise } from "./sensorNoise.js";

/**
 * Faults a scenario can inject. Frame numbers are H5 (pre-trim) camera-frame indices; the truth range
 * of each fault is computed from the data actually generated (see truth.ts), and for the span faults
 * (held, gap, pipeline_stall, real_still, led_flicker) it equals the frames given here.
 */
export type Fault =
  /** OT samples keep arriving bitwise identical over frames [start, end], then jump to the true pose. */
  | { type: "held"; body: Body; start: number; end: number }
  /** No OT samples between frame start's last sample and frame end's first one; the body keeps moving. */
  | { type: "gap"; body: Body; start: number; end: number }
  /** `count` (default 3) consecutive samples from the first one of frame `at` with quaternion [0,0,0,0]. */
  | { type: "zero_quat"; body: Body; at: number; count?: number }
  /** Two samples displaced by `meters` (0.2) along `direction` ([1,0,0]), then back: a solver glitch. */
  | TeleportTranslation
  /** Two samples rotated by `degrees` (180) about body axis `axis` ("x", or any vector), then back. */
  | TeleportRotation
  /** From the first sample of frame `at` on, every quaternion is emitted as -q: the same rotation, not a fault. */
  | { type: "sign_flip"; body: Body; at: number }
  /** GelSight frames [start, start+count-1] (count 1..3, default 1) get a colour spike of ~100 mean RGB L2. */
  | { type: "led_flicker"; side: Side; start: number; count?: number }
  /** All three cameras repeat frame start-1 bitwise through frame end; OT streams normally. */
  | { type: "pipeline_stall"; start: number; end: number }
  /**
   * The operator rests over [start, end]: the listed bodies (default both sensors) stop, their OT is
   * bitwise held, their squares and gels do not move; cameras change by sensor noise only.
   */
  | { type: "real_still"; start: number; end: number; bodies?: SensorBody[] }
  /** Before frame `frames` every body only trickles (`trickleHz`, ~0.6 Hz; 0 = nothing at all). */
  | { type: "ot_uninitialised_prefix"; frames: number; trickleHz?: number }
  /** From frame `from` on the side's gel baseline is brighter by `brighten` (12) levels, for good. */
  | { type: "gel_drift"; side: Side; from: number; brighten?: number };

export interface TeleportTranslation {
  type: "teleport_translation";
  body: Body;
  /** Frame owning the first displaced sample. */
  at: number;
  /** Which of the samples owned by `at` is the first displaced one: 0 = first, -1 = last. */
  sample?: number;
  meters?: number;
  direction?: [number, number, number];
}

export interface TeleportRotation {
  type: "teleport_rotation";
  body: Body;
  at: number;
  sample?: number;
  degrees?: number;
  /** A body axis, or any non-zero vector in body coordinates. */
  axis?: Axis | [number, number, number];
}

export type FaultType = Fault["type"];

/** A declarative description of one take; everything else is derived from the seed. */
export interface Scenario {
  seed: number;
  /** Task name, also the first folder level of the session layout. Default "motherboard". */
  task?: string;
  /** Camera rate. Default 30. */
  fps?: number;
  /** Number of camera ticks T; or give `seconds`. Default 10 s. */
  ticks?: number;
  seconds?: number;
  /** Image size of every stream. Default 480×640 (the rig's). */
  height?: number;
  width?: number;
  /** OptiTrack rate. Default 120 (±27 % jitter per sample, like the fixture). */
  otHz?: number;
  /** GelSight frame rate before re-sampling onto camera ticks. Default 22. */
  gelHz?: number;
  /** Sides in use: their gels see contacts and their bodies move. Default both; omit one for `inactive_side`. */
  activeSides?: Side[];
  /** Recording time, UTC, "YYYY-MM-DDTHH:MM:SS". Default 2026-05-31T05:40:00 (the fixture's). */
  createdAt?: string;
  /** Filter on the image datasets. Default "blosc". */
  compression?: Compression;
  /** Sensor noise on the images (sensorNoise.ts). Default "clean". */
  noise?: SensorNoise;
  /**
   * Time scale of the active sensor bodies' motion (and so of their speed) along the same paths:
   * 2 = twice as fast. Default 1; 0.25–4.
   */
  motionSpeed?: number;
  /** When the active gels are pressed (seconds). Default {@link DEFAULT_CONTACT_TIMING}. */
  contacts?: ContactTiming;
  faults?: Fault[];
}

/**
 * Contact schedule of an active gel, each a [min, max] range drawn from uniformly: the first press
 * starts after `firstS`, lasts `pressS`, and the next starts `gapS` after it ends.
 */
export interface ContactTiming {
  readonly firstS: readonly [number, number];
  readonly pressS: readonly [number, number];
  readonly gapS: readonly [number, number];
}

/** Presses of 0.8–1.8 s separated by 2–3.5 s, the first after 1–2 s (the fixture-like default). */
export const DEFAULT_CONTACT_TIMING: ContactTiming = { firstS: [1, 2], pressS: [0.8, 1.8], gapS: [2, 3.5] };

/** A scenario with every default filled in and every fault checked. */
export interface ResolvedScenario {
  readonly seed: number;
  readonly task: string;
  readonly fps: number;
  readonly ticks: number;
  readonly height: number;
  readonly width: number;
  readonly otHz: number;
  readonly gelHz: number;
  readonly activeSides: readonly Side[];
  readonly createdAt: string;
  readonly compression: Compression;
  readonly noise: SensorNoise;
  readonly motionSpeed: number;
  readonly contacts: ContactTiming;
  readonly faults: readonly Fault[];
  /** Frames of OT-uninitialised prefix (0 = none). */
  readonly prefixFrames: number;
  readonly trickleHz: number;
}
