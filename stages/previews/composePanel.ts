import type { Config } from "../../config/index.js";
import { isUsablePose, rowPosition, rowQuaternion } from "../../detectors/ot/index.js";
import { SENSOR_BODY, type Side, TACTILE_SIDES } from "../../detectors/samples.js";
import { OT_BODIES } from "../../hw/h5/index.js";
import type { PublishedList } from "../../sinks/reports/index.js";
import type { RigCalibration } from "./calibration.js";
import { Canvas, type Colour, type Rect, textWidth } from "./Canvas.js";
import type { EpisodeView } from "./EpisodeView.js";
import { diffTile, halfTile } from "./halfTile.js";
import {
  CAMERA_TILES,
  COLOURS,
  GEL_TILES,
  INFO_TILE,
  OT_TILE,
  PANEL_HEIGHT,
  PANEL_WIDTH,
  SOURCE_HEIGHT,
  SOURCE_WIDTH,
} from "./panelLayout.js";
import { projectGelCentre } from "./projection.js";
import { Timeline } from "./Timeline.js";

/** A clip's event: its sensor is circled red and its label stands in the info tile. */
export interface Highlight {
  readonly side: Side;
  readonly label: string;
}

const LIST_LABELS: Readonly<Record<PublishedList, string>> = {
  intensity_spikes: "FLICKER",
  pose_teleports_L: "TELEPORT L",
  pose_teleports_R: "TELEPORT R",
  ot_loss_L: "OT LOSS L",
  ot_loss_R: "OT LOSS R",
  pipeline_stall: "STALL",
};
const GEL_CROP_X = (SOURCE_WIDTH - SOURCE_HEIGHT) >> 1;

/**
 * Draws spec §6's panel for one camera frame of an episode: the three cameras at half size with each
 * gel centre projected on them, the OptiTrack tile, each GelSight raw and against its p01 reference
 * (frame − reference + 128), and an info tile with the frame, its published lists and a timeline.
 * Drawn in BGR; the returned canvas has had its one BGR → RGB conversion.
 */
export class PanelComposer {
  private readonly frame = new Uint8Array(SOURCE_HEIGHT * SOURCE_WIDTH * 3);
  private readonly cameraTile = new Uint8Array(320 * 240 * 3);
  private readonly gelTile = new Uint8Array(240 * 240 * 3);
  private readonly gelDiff = new Uint8Array(240 * 240 * 3);
  private readonly references = new Map<Side, Uint8Array | null>();
  private readonly timeline: Timeline;

  constructor(
    private readonly view: EpisodeView,
    private readonly calibration: RigCalibration,
    /** What counts as an OT gap and an invalid sample: detect's own thresholds. */
    private readonly detect: Pick<Config["detect"], "otGapS" | "invalidQuatNorm">,
  ) {
    this.timeline = new Timeline(view.result.nFrames, Object.values(view.result.lists));
  }

  /**
   * `position` = this frame's place in the GIF (1-based) and the GIF's length; `into` = where to draw
   * (PANEL_WIDTH × PANEL_HEIGHT × 3 bytes, e.g. a slice of the GIF's frame strip).
   */
  compose(
    h5Frame: number,
    position: readonly [number, number],
    highlight?: Highlight,
    into?: Uint8Array,
  ): Canvas {
    const canvas = new Canvas(PANEL_WIDTH, PANEL_HEIGHT, into);
    canvas.fill(0, 0, PANEL_WIDTH, PANEL_HEIGHT, COLOURS.background);
    this.drawCameras(canvas, h5Frame, highlight);
    this.drawGels(canvas, h5Frame, highlight);
    this.drawOt(canvas, h5Frame);
    this.drawInfo(canvas, h5Frame, position, highlight);
    canvas.swapRedBlue();
    return canvas;
  }

  private drawCameras(canvas: Canvas, h5Frame: number, highlight: Highlight | undefined): void {
    const { reader } = this.view;
    for (const [cam, label, rect] of CAMERA_TILES) {
      reader.color(cam, h5Frame, this.frame);
      canvas.put(
        halfTile(this.frame, SOURCE_WIDTH, 0, 0, SOURCE_WIDTH, SOURCE_HEIGHT, this.cameraTile),
        rect.w,
        rect.h,
        rect.x,
        rect.y,
      );
      for (const side of TACTILE_SIDES) {
        const { pose } = this.view.body(SENSOR_BODY[side], h5Frame);
        const at =
          pose && projectGelCentre(pose, this.calibration.gelCentreMm[side], this.calibration.cameras[cam]);
        if (!at) continue;
        const x = rect.x + at[0] / 2;
        const y = rect.y + at[1] / 2;
        canvas.disc(x, y, 6, COLOURS.outline, rect);
        canvas.disc(x, y, 4, COLOURS.gel[side], rect);
        if (highlight?.side === side) canvas.ring(x, y, 18, 4, COLOURS.highlight, rect);
      }
      this.label(canvas, rect, `${label} ${cam.toUpperCase()}`);
    }
  }

  private drawGels(canvas: Canvas, h5Frame: number, highlight: Highlight | undefined): void {
    for (const side of TACTILE_SIDES) {
      const { raw, diff } = GEL_TILES[side];
      this.view.reader.gel(side, h5Frame, this.frame);
      halfTile(this.frame, SOURCE_WIDTH, GEL_CROP_X, 0, SOURCE_HEIGHT, SOURCE_HEIGHT, this.gelTile);
      canvas.put(this.gelTile, raw.w, raw.h, raw.x, raw.y, true); // GelSight is RGB; the panel is BGR
      const reference = this.reference(side);
      if (reference)
        canvas.put(diffTile(this.gelTile, reference, this.gelDiff), diff.w, diff.h, diff.x, diff.y, true);
      const name = side === "left" ? "GEL L" : "GEL R";
      this.label(canvas, raw, name);
      this.label(canvas, diff, reference ? `${name} DIFF` : `${name} NO REF`);
      if (highlight?.side === side) {
        canvas.border(raw, 4, COLOURS.highlight);
        canvas.border(diff, 4, COLOURS.highlight);
      }
    }
  }

  private drawOt(canvas: Canvas, h5Frame: number): void {
    const { x, y } = OT_TILE;
    canvas.text(x + 10, y + 10, "OPTITRACK", 2, COLOURS.text);
    const lists = this.view.listsAt(h5Frame);
    OT_BODIES.forEach((body, i) => {
      const top = y + 44 + i * 64;
      const { pose, ageS } = this.view.body(body, h5Frame);
      const side = this.view.sideOfBody(body);
      const [status, colour] = this.bodyStatus(pose, ageS, side, lists);
      canvas.text(x + 10, top, body.toUpperCase(), 2, COLOURS.text);
      canvas.text(x + 310 - textWidth(status, 2), top, status, 2, colour);
      if (pose && Number.isFinite(pose[0] as number)) {
        const mm = [0, 1, 2].map((a) => Math.round((pose[a] as number) * 1000));
        canvas.text(x + 10, top + 22, `XYZ ${mm.join(" ")} MM`, 1, COLOURS.dim);
      }
      if (side && !this.view.result.activeSensors.includes(side))
        canvas.text(x + 10, top + 36, "INACTIVE SENSOR", 1, COLOURS.dim);
    });
  }

  private bodyStatus(
    pose: Float64Array | undefined,
    ageS: number,
    side: Side | undefined,
    lists: readonly PublishedList[],
  ): [string, Colour] {
    if (!pose) return ["NO OT", COLOURS.dim];
    const suffix = side === "left" ? "L" : "R";
    if (side && lists.includes(`ot_loss_${suffix}`)) return ["LOST", COLOURS.bad];
    if (side && lists.includes(`pose_teleports_${suffix}`)) return ["TELEPORT", COLOURS.warn];
    if (!isUsablePose(rowPosition(pose, 0), rowQuaternion(pose, 0), this.detect.invalidQuatNorm))
      return ["INVALID", COLOURS.bad];
    if (ageS >= this.detect.otGapS) return [`GAP ${ageS.toFixed(2)} S`, COLOURS.bad];
    return ["OK", COLOURS.ok];
  }

  private drawInfo(
    canvas: Canvas,
    h5Frame: number,
    [i, n]: readonly [number, number],
    highlight?: Highlight,
  ): void {
    const { x, y, w } = INFO_TILE;
    const { result, timestamps } = this.view;
    const [date, episode] = result.key.split("/");
    const k = h5Frame - this.view.from;
    const t = (timestamps[h5Frame] as number) - (timestamps[this.view.from] as number);
    canvas.text(x + 10, y + 10, this.view.reader.metadata.task || "RIGWATCH", 2, COLOURS.text);
    canvas.text(x + 10, y + 32, `${date ?? ""} ${episode ?? ""}`, 1, COLOURS.text);
    canvas.text(x + 10, y + 50, `FRAME ${k}/${result.nFrames - 1}  H5 ${h5Frame}`, 1, COLOURS.text);
    canvas.text(x + 10, y + 64, `T ${t.toFixed(2)} S   GIF ${i}/${n}`, 1, COLOURS.text);
    const flags = this.view.listsAt(h5Frame).map((l) => LIST_LABELS[l]);
    flags.forEach((flag, j) =>
      canvas.text(x + 10 + (j % 2) * 150, y + 86 + Math.floor(j / 2) * 22, flag, 2, COLOURS.bad),
    );
    if (highlight) canvas.text(x + 10, y + 150, highlight.label, 1, COLOURS.highlight);
    this.timeline.draw(canvas, { x: x + 10, y: y + 200, w: w - 20, h: 24 }, k);
  }

  /** Tile label on a dark strip in the tile's top-left corner. */
  private label(canvas: Canvas, rect: Rect, text: string): void {
    canvas.fill(rect.x, rect.y, textWidth(text, 1) + 8, 13, COLOURS.outline);
    canvas.text(rect.x + 4, rect.y + 3, text, 1, COLOURS.text);
  }

  /** A side's reference thumbnail at tile size (RGB), computed once. */
  private reference(side: Side): Uint8Array | null {
    if (!this.references.has(side)) {
      const h5 = this.view.referenceFrame(side);
      if (h5 === undefined) this.references.set(side, null);
      else {
        const frame = this.view.reader.gel(side, h5);
        this.references.set(side, halfTile(frame, SOURCE_WIDTH, GEL_CROP_X, 0, SOURCE_HEIGHT, SOURCE_HEIGHT));
      }
    }
    return this.references.get(side) ?? null;
  }
}
