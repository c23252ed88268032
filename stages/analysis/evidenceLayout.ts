import type { CameraStream, Side, StreamName } from "../../detectors/samples.js";
import type { EpisodeMetadata } from "../../hw/h5/index.js";
import type { FileIdentity } from "./FileIdentity.js";

/** Bump when the pass computes anything differently: older evidence is then read again from the frames. */
export const EVIDENCE_VERSION = 2;

/** The image streams the pass reads, each decoded once: three cameras, two GelSights. */
export const EVIDENCE_STREAMS: readonly StreamName[] = ["cam0", "cam1", "cam2", "gel_left", "gel_right"];

/**
 * One episode's evidence folder (`<date>/.rigwatch/analysis/episode_NNN/`):
 *   evidence.json   the header below, written last (a folder without it is not evidence)
 *   arrays.bin      timestamps, per stream the frame differences, per gel the thumbnail slots, OT
 *   camN.chw        every frame's camera thumbnail, (3, 128, 128) uint8 each, as the `.pt` stores it
 *   gel_<side>.hwc  a (128, 128, 3) thumbnail of every distinct GelSight frame
 *   derived/        results computed from the above for one config (the gel series), keyed by it
 */
export const HEADER_FILE = "evidence.json";
export const ARRAYS_FILE = "arrays.bin";
export const DERIVED_DIR = "derived";
export const cameraThumbsFile = (cam: CameraStream): string => `${cam}.chw`;
export const gelThumbsFile = (side: Side): string => `gel_${side}.hwc`;

/** Where one typed array sits in arrays.bin. */
export interface ArraySpan {
  readonly type: "f64" | "i32";
  /** Byte offset (a multiple of 8). */
  readonly offset: number;
  readonly length: number;
}

/** Names in `arrays`: timestamps, `sad.<stream>`, `slots.<side>`, `ot.<body>.t`, `ot.<body>.pose`. */
export interface EvidenceHeader {
  readonly version: number;
  /** The episode file the pass read (or the same content carried over a verified rewrite). */
  readonly source: FileIdentity;
  readonly frames: number;
  readonly height: number;
  readonly width: number;
  readonly metadata: EpisodeMetadata;
  readonly bodies: readonly string[];
  /** Distinct GelSight thumbnails stored per side. */
  readonly gelThumbs: Readonly<Record<Side, number>>;
  readonly arrays: Readonly<Record<string, ArraySpan>>;
}
