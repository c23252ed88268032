import { PUBLISHED_LISTS } from "../../../sinks/reports/index.js";
import { TACTILE_SIDES } from "../../../detectors/samples.js";
import { COLOURS, frameColumns, TIMELINE } from "./figureLayout.js";
import { svgText, textHeight } from "./svgText.js";
import { OT_STATE, type TimelineData } from "./timelineData.js";

export interface Band {
  readonly y: number;
  readonly h: number;
}

/** Where each row of a timeline is: lanes by body (`ot/<body>`) and by list (`list/<name>`), plots by name. */
export interface TimelineGeometry {
  readonly width: number;
  readonly height: number;
  readonly plotX: number;
  readonly plotWidth: number;
  readonly rows: Readonly<Record<string, Band>>;
}

const TITLE_H = 40;
const SECTION_GAP = 14;
const SPEED_H = 90;
const INTENSITY_H = 70;
const AXIS_H = 36;

/** The rows of a take's timeline, top to bottom: OT validity, speeds, tactile intensity, events, the time axis. */
export function timelineGeometry(data: TimelineData): TimelineGeometry {
  const rows: Record<string, Band> = {};
  let y = TITLE_H;
  const lane = (name: string) => {
    rows[name] = { y, h: TIMELINE.laneHeight };
    y += TIMELINE.laneHeight + TIMELINE.laneGap;
  };
  for (const body of Object.keys(data.ot)) lane(`ot/${body}`);
  y += SECTION_GAP;
  rows.speed = { y, h: SPEED_H };
  y += SPEED_H + SECTION_GAP;
  for (const side of TACTILE_SIDES) {
    rows[`intensity/${side}`] = { y, h: INTENSITY_H };
    y += INTENSITY_H + SECTION_GAP;
  }
  for (const list of PUBLISHED_LISTS) lane(`list/${list}`);
  rows.axis = { y, h: AXIS_H };
  return {
    width: TIMELINE.plotX + TIMELINE.plotWidth + 50,
    height: y + AXIS_H,
    plotX: TIMELINE.plotX,
    plotWidth: TIMELINE.plotWidth,
    rows,
  };
}

const OT_COLOUR = [COLOURS.otValid, COLOURS.otInvalid, COLOURS.otLost] as const;

/**
 * A take's health at a glance, as SVG (no <text>: labels are bitmap-font paths): a lane per OT body
 * (green tracked, orange invalid samples, red no sample for ≥ tau_opt_gap_s), both sensors' speeds
 * with the teleport threshold, each GelSight's intensity with the take's spike threshold, a lane per
 * published list with its events, and the trimmed prefix shaded grey. x is the H5 frame.
 */
export function drawTimeline(data: TimelineData): string {
  const g = timelineGeometry(data);
  const x0 = g.plotX;
  const W = g.plotWidth;
  const T = data.frames;
  const parts: string[] = [];
  const rect = (x: number, y: number, w: number, h: number, fill: string) =>
    parts.push(`<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="${fill}"/>`);
  const label = (text: string, band: Band) =>
    parts.push(
      svgText(text, x0 - 10, band.y + Math.floor((band.h - textHeight()) / 2), {
        fill: COLOURS.text,
        anchor: "end",
      }),
    );
  /** Runs of equal-coloured columns as one rect each. */
  const runs = (band: Band, colourOf: (c: number) => string | undefined) => {
    let start = 0;
    for (let c = 1; c <= W; c++) {
      const colour = colourOf(start);
      if (c < W && colourOf(c) === colour) continue;
      if (colour) rect(x0 + start, band.y, c - start, band.h, colour);
      start = c;
    }
  };

  parts.push(
    svgText(
      `${data.key}: ${T} FRAMES, ${data.durationS.toFixed(1)} S${data.trimOffset > 0 ? `, TRIM ${data.trimOffset}` : ""}`,
      x0,
      12,
      { fill: COLOURS.text },
    ),
  );
  // The trimmed prefix, behind everything.
  if (data.trimOffset > 0) {
    const [, last] = frameColumns(0, data.trimOffset - 1, T, W);
    rect(x0, TITLE_H - 4, last + 1, g.height - TITLE_H - AXIS_H + 4, COLOURS.trimmed);
  }

  for (const [body, states] of Object.entries(data.ot)) {
    const band = g.rows[`ot/${body}`] as Band;
    label(body, band);
    runs(band, (c) => OT_COLOUR[(states[c] ?? OT_STATE.lost) as 0 | 1 | 2]);
  }

  const speed = g.rows.speed as Band;
  const speedMax = data.speedThreshold * 1.2;
  label("SPEED M/S", speed);
  plotFrame(parts, x0, W, speed);
  hline(parts, x0, W, speed, data.speedThreshold / speedMax, COLOURS.threshold);
  for (const side of TACTILE_SIDES)
    series(
      parts,
      x0,
      speed,
      data.speed[side],
      speedMax,
      side === "left" ? COLOURS.speedLeft : COLOURS.speedRight,
    );
  parts.push(svgText("L", x0 + W + 6, speed.y, { fill: COLOURS.speedLeft }));
  parts.push(svgText("R", x0 + W + 6, speed.y + 18, { fill: COLOURS.speedRight }));

  for (const side of TACTILE_SIDES) {
    const band = g.rows[`intensity/${side}`] as Band;
    const values = data.intensity[side];
    const threshold = data.intensityThreshold[side];
    const top = Math.max(1, threshold ?? 0, ...values.map((v) => v ?? 0)) * 1.1;
    label(`TACTILE ${side}`, band);
    plotFrame(parts, x0, W, band);
    if (threshold !== null) hline(parts, x0, W, band, threshold / top, COLOURS.threshold);
    series(parts, x0, band, values, top, COLOURS.intensity);
  }

  for (const list of PUBLISHED_LISTS) {
    const band = g.rows[`list/${list}`] as Band;
    label(list, band);
    rect(x0, band.y, W, band.h, COLOURS.grid);
    for (const [a, b] of data.lists[list]) {
      const [first, last] = frameColumns(a, b, T, W);
      if (first >= 0) rect(x0 + first, band.y, last - first + 1, band.h, COLOURS.lists[list]);
    }
  }

  const axis = g.rows.axis as Band;
  rect(x0, axis.y, W, 1, COLOURS.axis);
  const step = niceStep(data.durationS / 10);
  for (let s = 0; s <= data.durationS + 1e-9; s += step) {
    const frame = Math.min(T - 1, Math.round((s / Math.max(data.durationS, 1e-9)) * (T - 1)));
    const [c] = frameColumns(frame, frame, T, W);
    rect(x0 + c, axis.y, 1, 6, COLOURS.axis);
    parts.push(
      svgText(`${Number(s.toFixed(3))}`, x0 + c, axis.y + 10, { fill: COLOURS.text, anchor: "middle" }),
    );
  }
  parts.push(svgText("SEC", x0 + W + 6, axis.y + 22, { fill: COLOURS.text, scale: 1 }));

  return svg(g.width, g.height, parts);
}

/** `<svg>` of the given size on a white ground; rects stay on whole pixels (no anti-aliased edges). */
export function svg(width: number, height: number, parts: readonly string[]): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" shape-rendering="crispEdges"><rect width="${width}" height="${height}" fill="${COLOURS.background}"/>${parts.join("")}</svg>`;
}

function plotFrame(parts: string[], x0: number, w: number, band: Band) {
  parts.push(
    `<rect x="${x0}" y="${band.y}" width="${w}" height="${band.h}" fill="none" stroke="${COLOURS.grid}" stroke-width="1"/>`,
  );
}

function hline(parts: string[], x0: number, w: number, band: Band, fraction: number, colour: string) {
  const y = band.y + band.h - Math.round(Math.min(1, fraction) * band.h);
  parts.push(
    `<line x1="${x0}" y1="${y}" x2="${x0 + w}" y2="${y}" stroke="${colour}" stroke-width="1" stroke-dasharray="6 4"/>`,
  );
}

/** A series as polylines (a null breaks it), one point per column, clipped to the band's top. */
function series(
  parts: string[],
  x0: number,
  band: Band,
  values: readonly (number | null)[],
  top: number,
  colour: string,
) {
  let points: string[] = [];
  const flush = () => {
    if (points.length > 0)
      parts.push(
        `<polyline points="${points.join(" ")}" fill="none" stroke="${colour}" stroke-width="1.5" shape-rendering="geometricPrecision"/>`,
      );
    points = [];
  };
  values.forEach((v, c) => {
    if (v === null) return flush();
    const y = band.y + band.h - Math.min(1, v / top) * band.h;
    points.push(`${x0 + c + 0.5},${y.toFixed(1)}`);
  });
  flush();
}

/** 1, 2 or 5 × a power of ten, at least `raw`. */
export function niceStep(raw: number): number {
  if (!(raw > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}
