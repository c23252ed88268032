import type { Side } from "../../detectors/samples.js";
import { badFrameCount } from "./badFrames.js";
import { MODES, modeFrames } from "./breakdown.js";
import type { EpisodeResult } from "./EpisodeResult.js";
import { round } from "./format.js";

/** A file that could not be analysed still gets a row, so the table shows every recording. */
export interface UnreadableEpisode {
  readonly key: string;
  readonly integrity: string;
}

const HEADER = [
  "episode",
  "n_frames",
  "duration_s",
  "trim_offset",
  "active_sensors",
  ...Object.keys(MODES).map((m) => `${m}_frames`),
  "total_bad_frames",
  "bad_fraction",
  "drift_left",
  "drift_right",
  "drift_warning",
  "integrity",
];

/** `data_quality_report.csv` (spec §5): one row per episode. */
export function qualityCsv(
  results: readonly EpisodeResult[],
  unreadable: readonly UnreadableEpisode[] = [],
): string {
  const rows: { key: string; cells: (string | number)[] }[] = [];
  for (const r of results) {
    const bad = badFrameCount(r);
    const drift = (side: Side) => (r.drift[side] === null ? "" : round(r.drift[side] as number, 4));
    rows.push({
      key: r.key,
      cells: [
        r.key,
        r.nFrames,
        round(r.nFrames / r.fps, 3),
        r.trimOffset,
        r.activeSensors.join("+"),
        ...Object.values(MODES).map((lists) => modeFrames(r, lists)),
        bad,
        r.nFrames > 0 ? round(bad / r.nFrames) : 0,
        drift("left"),
        drift("right"),
        r.driftWarning ? "true" : "false",
        r.integrity,
      ],
    });
  }
  for (const u of unreadable) {
    rows.push({
      key: u.key,
      cells: [u.key, 0, 0, 0, "", ...Object.keys(MODES).map(() => 0), 0, 0, "", "", "false", u.integrity],
    });
  }
  rows.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  return [HEADER, ...rows.map((r) => r.cells)]
    .map((cells) => cells.map(csvCell).join(","))
    .join("\n")
    .concat("\n");
}

function csvCell(value: string | number): string {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
