import { type Side, TACTILE_SIDES } from "../../detectors/samples.js";
import { ReportFileError } from "../../sinks/reports/index.js";
import { parseCsv } from "./parseCsv.js";
import { readTextIfExists } from "./readTextIfExists.js";

/** The columns of one `data_quality_report.csv` row (spec §5) that the session summary uses. */
export interface QualityRow {
  readonly episode: string;
  readonly activeSensors: readonly Side[];
  readonly drift: Readonly<Record<Side, number | null>>;
  readonly driftWarning: boolean;
  /** "ok", or the error code of an episode detect could not read (it still gets a row). */
  readonly integrity: string;
}

const COLUMNS = [
  "episode",
  "active_sensors",
  "drift_left",
  "drift_right",
  "drift_warning",
  "integrity",
] as const;

/** Reads detect's `data_quality_report.csv` by column name (undefined when missing), rows by episode key. */
export function readQualityCsv(path: string): Map<string, QualityRow> | undefined {
  const text = readTextIfExists(path);
  if (text === undefined) return undefined;
  const [header, ...rows] = parseCsv(text);
  const column = Object.fromEntries(
    COLUMNS.map((name) => {
      const i = header?.indexOf(name) ?? -1;
      if (i < 0) throw new ReportFileError(path, `no "${name}" column in the header`);
      return [name, i];
    }),
  ) as Record<(typeof COLUMNS)[number], number>;
  const byEpisode = new Map<string, QualityRow>();
  rows.forEach((cells, r) => {
    const cell = (name: (typeof COLUMNS)[number]) => cells[column[name]] ?? "";
    const where = `row ${r + 2} (${cell("episode")})`;
    const sensors = cell("active_sensors") === "" ? [] : cell("active_sensors").split("+");
    if (sensors.some((s) => !(TACTILE_SIDES as readonly string[]).includes(s)))
      throw new ReportFileError(path, `${where}: active_sensors must be left, right or left+right`);
    const drift = (name: "drift_left" | "drift_right"): number | null => {
      if (cell(name) === "") return null;
      const value = Number(cell(name));
      if (!Number.isFinite(value))
        throw new ReportFileError(path, `${where}: ${name} must be a number or empty`);
      return value;
    };
    if (!["true", "false"].includes(cell("drift_warning")))
      throw new ReportFileError(path, `${where}: drift_warning must be true or false`);
    byEpisode.set(cell("episode"), {
      episode: cell("episode"),
      activeSensors: sensors as Side[],
      drift: { left: drift("drift_left"), right: drift("drift_right") },
      driftWarning: cell("drift_warning") === "true",
      integrity: cell("integrity"),
    });
  });
  return byEpisode;
}
