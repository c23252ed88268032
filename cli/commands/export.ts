import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { EpisodeError } from "../../hw/h5/index.js";
import { defaultReportDir, episodeKey, exportFile, findEpisodes } from "../../stages/dataset/index.js";
import { ExportError, exportEpisode, ReportFindings } from "../../stages/export/index.js";
import { configFlags, configFrom } from "../configFlags.js";
import { NO_PROGRESS, type Progress } from "../ProgressBar.js";
import { UsageError } from "../UsageError.js";

function secondsFlag(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0)
    throw new UsageError(`${name} expects seconds from the take's start (≥ 0), got "${value}"`);
  return n;
}

/**
 * `rigwatch export`: one MCAP per take (Foxglove's schemas, the schema in the file), with detect's
 * events from the reports and the take's live alarms. Prints one line per take; exits 1 when any
 * take could not be exported (the others still are).
 */
export async function exportTakes(
  argv: readonly string[],
  progress: Progress = NO_PROGRESS,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      out: { type: "string" },
      from: { type: "string" },
      to: { type: "string" },
      reports: { type: "string" },
      json: { type: "boolean" },
      ...configFlags,
    },
  });
  if (positionals.length === 0) throw new UsageError("export needs an episode file or a session folder");
  const fromS = secondsFlag(values.from, "--from");
  const toS = secondsFlag(values.to, "--to");
  if (fromS !== undefined && toS !== undefined && fromS > toS)
    throw new UsageError(`--from ${fromS} is after --to ${toS}`);
  const config = configFrom(values);
  const episodes = findEpisodes(positionals);
  if (episodes.length === 0) throw new UsageError(`no episode_NNN.h5 files in ${positionals.join(", ")}`);

  const reports = new Map<string, ReportFindings>();
  const findingsOf = (path: string) => {
    const dir = values.reports ?? defaultReportDir(path);
    let found = reports.get(dir);
    if (!found) reports.set(dir, (found = ReportFindings.read(dir)));
    return found.of(episodeKey(path));
  };
  let failures = 0;
  for (const path of episodes) {
    const out = exportFile(path, values.out);
    try {
      mkdirSync(dirname(out), { recursive: true });
      const findings = findingsOf(path);
      const result = await exportEpisode(path, {
        key: episodeKey(path),
        out,
        config,
        ...(fromS === undefined ? {} : { fromS }),
        ...(toS === undefined ? {} : { toS }),
        ...(findings ? { findings } : {}),
        onProgress: (done, total) => progress.update(done, total, `frames of ${episodeKey(path)}`),
      });
      if (values.json) console.log(JSON.stringify({ type: "export", status: "ok", ...result }));
      else
        console.log(
          `exported  ${path} → ${out}: ${result.frames} frames, ${(result.bytes / 1e6).toFixed(1)} MB in ${result.seconds.toFixed(1)} s` +
            (result.detectEvents ? "" : " (no detect reports for this take: run rigwatch detect first)"),
        );
    } catch (error) {
      if (!(error instanceof EpisodeError || error instanceof ExportError)) throw error;
      failures++;
      if (values.json)
        console.log(
          JSON.stringify({
            type: "export",
            status: "failed",
            path,
            ...(error instanceof EpisodeError ? { code: error.code } : {}),
            error: error.message,
          }),
        );
      else console.log(`failed    ${error.message}`);
    }
  }
  return failures > 0 ? 1 : 0;
}
