import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import sharp from "sharp";
import { writeFileAtomic } from "../../../sinks/atomicWrite.js";
import type { EpisodeResult } from "../../../sinks/reports/index.js";
import { drawBreakdown } from "./drawBreakdown.js";
import { drawTimeline } from "./drawTimeline.js";
import type { TimelineData } from "./timelineData.js";

/** The figures detect draws beside its reports. */
export const FIGURE_FILES = {
  breakdown: "quality_breakdown.png",
  /** `timelines/<date>/episode_NNN.png`, by report key. */
  timeline: (key: string) => join("timelines", `${key}.png`),
} as const;

/**
 * An SVG rendered to PNG by sharp (librsvg: no browser; the figures carry no <text>, so no font is
 * needed). Lossless RGB at zlib level 6, every pixel as librsvg drew it: a palette at level 9 (libimagequant)
 * cost ~85 ms of CPU per timeline against ~17 ms, most of a re-run's time per take, to save ~14 KB of 24.
 */
export async function renderPng(svg: string): Promise<Buffer> {
  return sharp(Buffer.from(svg)).removeAlpha().png({ compressionLevel: 6 }).toBuffer();
}

/**
 * Draws the dataset's quality breakdown and every take's timeline into `out` (each PNG written
 * atomically). Returns the files written, relative to `out`.
 */
export async function writeDatasetFigures(
  out: string,
  results: readonly EpisodeResult[],
  timelines: ReadonlyMap<string, TimelineData>,
): Promise<string[]> {
  const written: string[] = [];
  const write = async (name: string, svg: string) => {
    const path = join(out, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileAtomic(path, await renderPng(svg));
    written.push(name);
  };
  await write(FIGURE_FILES.breakdown, drawBreakdown(results));
  for (const result of results) {
    const timeline = timelines.get(result.key);
    if (timeline) await write(FIGURE_FILES.timeline(result.key), drawTimeline(timeline));
  }
  return written;
}
