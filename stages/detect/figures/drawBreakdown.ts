import { MODES, modeFrames, type EpisodeResult } from "../../../sinks/reports/index.js";
import { COLOURS } from "./figureLayout.js";
import { niceStep, svg } from "./drawTimeline.js";
import { svgText, textWidth } from "./svgText.js";

export type Mode = keyof typeof COLOURS.modes;
const MODE_NAMES = Object.keys(COLOURS.modes) as Mode[];

/** Frames flagged per failure mode (the breakdown's unions) for each session, sessions in key order. */
export function sessionBreakdown(
  results: readonly EpisodeResult[],
): { session: string; frames: Record<Mode, number> }[] {
  const sessions = new Map<string, Record<Mode, number>>();
  for (const r of results) {
    const session = r.key.split("/")[0] as string;
    const frames =
      sessions.get(session) ?? (Object.fromEntries(MODE_NAMES.map((m) => [m, 0])) as Record<Mode, number>);
    for (const mode of MODE_NAMES) frames[mode] += modeFrames(r, MODES[mode] ?? []);
    sessions.set(session, frames);
  }
  return [...sessions]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([session, frames]) => ({ session, frames }));
}

/** Where the bar chart puts things. */
export const BREAKDOWN = {
  plotX: 90,
  plotY: 70,
  plotHeight: 300,
  barWidth: 18,
  barGap: 2,
  groupGap: 30,
} as const;

/** x of the first column of `mode`'s bar in session group `i`. */
export function barX(i: number, mode: Mode): number {
  const group = MODE_NAMES.length * (BREAKDOWN.barWidth + BREAKDOWN.barGap) + BREAKDOWN.groupGap;
  return (
    BREAKDOWN.plotX +
    BREAKDOWN.groupGap / 2 +
    i * group +
    MODE_NAMES.indexOf(mode) * (BREAKDOWN.barWidth + BREAKDOWN.barGap)
  );
}

/** The top of the y axis: a 1-2-5 step times five, at least the largest bar (1 when nothing is flagged). */
export function breakdownScale(maxFrames: number): number {
  const step = niceStep(Math.max(1, maxFrames) / 5);
  return Math.max(step, Math.ceil(Math.max(1, maxFrames) / step) * step);
}

/** Height in pixels of a bar of `frames` on a scale topping at `top`. */
export const barHeight = (frames: number, top: number): number =>
  Math.round((frames / top) * BREAKDOWN.plotHeight);

/**
 * The dataset's quality breakdown as a grouped bar chart (SVG, bitmap-font labels): for each session,
 * the frames flagged per failure mode, one colour per mode, the count above each bar.
 */
export function drawBreakdown(results: readonly EpisodeResult[]): string {
  const sessions = sessionBreakdown(results);
  const top = breakdownScale(Math.max(0, ...sessions.flatMap((s) => Object.values(s.frames))));
  const { plotX, plotY, plotHeight } = BREAKDOWN;
  const base = plotY + plotHeight;
  const plotWidth = Math.max(
    400,
    barX(sessions.length, "gelsight_led_flicker") - plotX - BREAKDOWN.groupGap / 2,
  );
  const width = plotX + plotWidth + 30;
  const height = base + 110;
  const parts: string[] = [];
  const rect = (x: number, y: number, w: number, h: number, fill: string) =>
    parts.push(`<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="${fill}"/>`);

  const total = results.reduce((n, r) => n + r.nFrames, 0);
  parts.push(
    svgText(
      `FRAMES FLAGGED PER FAILURE MODE AND SESSION (${results.length} EPISODES, ${total} FRAMES)`,
      plotX,
      14,
      {
        fill: COLOURS.text,
      },
    ),
  );
  parts.push(svgText("FRAMES", plotX - 8, plotY - 30, { fill: COLOURS.text, anchor: "end" }));
  const step = top / 5;
  for (let i = 0; i <= 5; i++) {
    const y = base - barHeight(i * step, top);
    rect(plotX, y, plotWidth, 1, i === 0 ? COLOURS.axis : COLOURS.grid);
    parts.push(
      svgText(String(Number((i * step).toFixed(3))), plotX - 8, y - 6, { fill: COLOURS.text, anchor: "end" }),
    );
  }
  sessions.forEach(({ session, frames }, i) => {
    for (const mode of MODE_NAMES) {
      const h = barHeight(frames[mode], top);
      const x = barX(i, mode);
      if (h > 0) rect(x, base - h, BREAKDOWN.barWidth, h, COLOURS.modes[mode]);
      parts.push(
        svgText(String(frames[mode]), x + BREAKDOWN.barWidth / 2, base - h - 12, {
          fill: COLOURS.text,
          scale: 1,
          anchor: "middle",
        }),
      );
    }
    const groupMiddle =
      (barX(i, MODE_NAMES[0] as Mode) +
        barX(i, MODE_NAMES[MODE_NAMES.length - 1] as Mode) +
        BREAKDOWN.barWidth) /
      2;
    parts.push(svgText(session, groupMiddle, base + 10, { fill: COLOURS.text, anchor: "middle" }));
  });
  let x = plotX;
  for (const mode of MODE_NAMES) {
    rect(x, base + 50, 14, 14, COLOURS.modes[mode]);
    parts.push(svgText(mode, x + 20, base + 50, { fill: COLOURS.text }));
    x += 20 + textWidth(mode) + 30;
  }
  return svg(Math.max(width, x), height, parts);
}
