import { describeJson, isJsonObject, readJsonFile } from "../metadata/index.js";
import { MODES, ReportFileError } from "../../sinks/reports/index.js";

/** The totals of `data_quality_breakdown.json` (spec §5) the checklist compares. */
export interface Breakdown {
  readonly totalFrames: number;
  readonly nEpisodes: number;
  readonly modes: Readonly<Record<string, { readonly frames: number; readonly episodesAffected: number }>>;
}

/** Reads detect's breakdown (undefined when missing); a shape detect would not write is a ReportFileError. */
export function readBreakdown(path: string): Breakdown | undefined {
  const value = readJsonFile(path);
  if (value === undefined) return undefined;
  const count = (key: string, v: unknown): number => {
    if (Number.isInteger(v) && (v as number) >= 0) return v as number;
    throw new ReportFileError(path, `${key} must be a count, found ${describeJson(v)}`);
  };
  if (!isJsonObject(value))
    throw new ReportFileError(path, `expected an object, found ${describeJson(value)}`);
  const modes = value.modes;
  if (!isJsonObject(modes))
    throw new ReportFileError(path, `modes must be an object, found ${describeJson(modes)}`);
  const byMode: Record<string, Breakdown["modes"][string]> = {};
  for (const mode of Object.keys(MODES)) {
    const entry = modes[mode];
    if (!isJsonObject(entry))
      throw new ReportFileError(path, `modes.${mode} must be an object, found ${describeJson(entry)}`);
    byMode[mode] = {
      frames: count(`modes.${mode}.frames`, entry.frames),
      episodesAffected: count(`modes.${mode}.episodes_affected`, entry.episodes_affected),
    };
  }
  return {
    totalFrames: count("total_frames", value.total_frames),
    nEpisodes: count("n_episodes", value.n_episodes),
    modes: byMode,
  };
}
