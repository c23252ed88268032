/**
 * Where the figures put things, shared by the drawing code and whoever reads the pixels back. The
 * timeline's x axis is the take's H5 frames mapped onto PLOT_WIDTH columns: column c shows frames
 * [⌊c·T/W⌋, max(⌊c·T/W⌋, ⌊(c+1)·T/W⌋ − 1)], so every column shows at least one frame and a frame
 * covers W/T columns when the take is short.
 */
export const TIMELINE = {
  plotX: 220,
  plotWidth: 1200,
  /** One lane per body (OT validity) and per published list (events). */
  laneHeight: 14,
  laneGap: 4,
} as const;

/** The frames column `c` of a plot `width` columns wide shows, for a take of `frames` frames. */
export function columnFrames(c: number, frames: number, width: number): [number, number] {
  const lo = Math.floor((c * frames) / width);
  return [lo, Math.max(lo, Math.floor(((c + 1) * frames) / width) - 1)];
}

/**
 * The first and last column showing any frame of [a, b], [-1, -1] when none does. Both ends of a
 * column's frames grow with c, so the columns that start at or before b are a prefix and those that
 * end at or after a a suffix: two binary searches (a timeline asks once per event and per tick).
 */
export function frameColumns(a: number, b: number, frames: number, width: number): [number, number] {
  const firstWhere = (holds: (c: number) => boolean) => {
    let lo = 0;
    let hi = width;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (holds(mid)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  const first = firstWhere((c) => columnFrames(c, frames, width)[1] >= a);
  const last = firstWhere((c) => columnFrames(c, frames, width)[0] > b) - 1;
  return first <= last ? [first, last] : [-1, -1];
}

/** Colours of the figures: one per published list (and its failure mode), OT states, series. */
export const COLOURS = {
  background: "#ffffff",
  text: "#202020",
  axis: "#808080",
  grid: "#e4e4e4",
  trimmed: "#d8d8d8",
  otValid: "#3c9d4e",
  otInvalid: "#f0a020",
  otLost: "#d62728",
  speedLeft: "#1f77b4",
  speedRight: "#9467bd",
  intensity: "#17becf",
  threshold: "#d62728",
  lists: {
    intensity_spikes: "#ff7f0e",
    pose_teleports_L: "#8c564b",
    pose_teleports_R: "#e377c2",
    ot_loss_L: "#d62728",
    ot_loss_R: "#9e1b1c",
    pipeline_stall: "#7f3fbf",
  },
  modes: {
    gelsight_led_flicker: "#ff7f0e",
    pose_teleport: "#8c564b",
    ot_loss: "#d62728",
    pipeline_stall: "#7f3fbf",
  },
} as const;
