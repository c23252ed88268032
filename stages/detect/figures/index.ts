export {
  barHeight,
  barX,
  BREAKDOWN,
  breakdownScale,
  drawBreakdown,
  sessionBreakdown,
} from "./drawBreakdown.js";
export { drawTimeline, timelineGeometry, type TimelineGeometry } from "./drawTimeline.js";
export { COLOURS, columnFrames, frameColumns, TIMELINE } from "./figureLayout.js";
export { TimelineCache } from "./TimelineCache.js";
export { OT_STATE, type TimelineData, timelineData } from "./timelineData.js";
export { FIGURE_FILES, renderPng, writeDatasetFigures } from "./writeDatasetFigures.js";
