import type { CameraStream, Side } from "../../detectors/samples.js";
import type { Rect } from "./Canvas.js";

/** Spec §6: the 1280×480 panel. Row 1 the cameras (left | middle | right) and the OT tile; row 2 the gels. */
export const PANEL_WIDTH = 1280;
export const PANEL_HEIGHT = 480;
/** The recorder's frames; tiles are exact half-size crops of them. */
export const SOURCE_HEIGHT = 480;
export const SOURCE_WIDTH = 640;

export const CAMERA_TILES: readonly (readonly [CameraStream, string, Rect])[] = [
  ["cam1", "LEFT", { x: 0, y: 0, w: 320, h: 240 }],
  ["cam2", "MIDDLE", { x: 320, y: 0, w: 320, h: 240 }],
  ["cam0", "RIGHT", { x: 640, y: 0, w: 320, h: 240 }],
];
export const OT_TILE: Rect = { x: 960, y: 0, w: 320, h: 240 };
export const GEL_TILES: Readonly<Record<Side, { raw: Rect; diff: Rect }>> = {
  left: { raw: { x: 0, y: 240, w: 240, h: 240 }, diff: { x: 240, y: 240, w: 240, h: 240 } },
  right: { raw: { x: 480, y: 240, w: 240, h: 240 }, diff: { x: 720, y: 240, w: 240, h: 240 } },
};
export const INFO_TILE: Rect = { x: 960, y: 240, w: 320, h: 240 };

/** Colours in the panel's BGR order. */
export const COLOURS = {
  background: [24, 24, 24],
  text: [235, 235, 235],
  dim: [140, 140, 140],
  ok: [80, 200, 80],
  bad: [40, 40, 235],
  warn: [0, 150, 255],
  /** The clip's "affected sensor circled red". */
  highlight: [0, 0, 255],
  outline: [0, 0, 0],
  gel: { left: [255, 230, 0], right: [255, 0, 230] },
} as const;

type Bgr = readonly [number, number, number];

/**
 * The overlays' marker colours, in the GIF's RGB order: each keeps an exact palette entry, so a gel
 * centre of a few pixels is not given the mean of the camera image around it. The greys (background,
 * text, outline) are left to the median cut: they cover large flat areas it keeps apart anyway, and
 * camera pixels hit them exactly often enough that an entry of their own made a noisy GIF 23 % larger.
 */
export const OVERLAY_RGB: readonly Bgr[] = [
  COLOURS.ok,
  COLOURS.bad,
  COLOURS.warn,
  COLOURS.highlight,
  COLOURS.gel.left,
  COLOURS.gel.right,
].map(([b, g, r]: Bgr): Bgr => [r, g, b]);
