import { join } from "node:path";
import { parseArgs } from "node:util";
import { EpisodeError } from "../../hw/h5/index.js";
import { OutputWriteError } from "../../sinks/OutputWriteError.js";
import { defaultReportDir, episodeKey } from "../../stages/dataset/index.js";
import { previewDir } from "../../stages/dataset/index.js";
import { declaredActiveSensors } from "../../stages/detect/declaredSensors.js";
import { readFreezeRecords } from "../../stages/detect/freezeRecords.js";
import { REPORT_FILES } from "../../stages/detect/runDetect.js";
import { PreviewError, renderEpisodePreviews } from "../../stages/previews/index.js";
import { configFlags, configFrom } from "../configFlags.js";
import { scanEpisodes } from "../../stages/dataset/index.js";
import { reportSkipped } from "../reportSkipped.js";
import { NO_PROGRESS, type Progress } from "../ProgressBar.js";
import { UsageError } from "../UsageError.js";

/** `rigwatch previews`: each episode's preview GIF and its borderline-event clips (spec §6). */
export async function previews(argv: readonly string[], progress: Progress = NO_PROGRESS): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      out: { type: "string" },
      reports: { type: "string" },
      tasks: { type: "string" },
      "no-clips": { type: "boolean" },
      json: { type: "boolean" },
      ...configFlags,
    },
  });
  if (positionals.length === 0) throw new UsageError("previews needs a session folder or episode files");
  const config = configFrom(values);
  const scan = scanEpisodes(positionals);
  const skipped = reportSkipped(scan.skipped, values.json ?? false);
  const episodes = scan.episodes;
  if (episodes.length === 0) {
    if (skipped > 0) return 1;
    throw new UsageError(`no episode_NNN.h5 files in ${positionals.join(", ")}`);
  }
  let failed = 0;
  let done = 0;
  for (const path of episodes) {
    progress.update(done++, episodes.length, "takes");
    const key = episodeKey(path);
    const reports = values.reports ?? defaultReportDir(path);
    try {
      const activeSensors = declaredActiveSensors(path, values.tasks);
      const started = performance.now();
      const made = await renderEpisodePreviews(path, {
        key,
        detect: config.detect,
        previews: config.previews,
        outDir: values.out ?? previewDir(path),
        previousFreezes: readFreezeRecords(join(reports, REPORT_FILES.freezes)),
        clips: !values["no-clips"],
        ...(activeSensors ? { activeSensors } : {}),
      });
      const seconds = (performance.now() - started) / 1000;
      if (values.json) {
        const gif = (g: typeof made.gif) => ({
          path: g.path,
          bytes: g.bytes,
          frames: g.frames,
          width: g.width,
          height: g.height,
          colours: g.colours,
        });
        console.log(
          JSON.stringify({
            type: "preview",
            key,
            status: "ok",
            seconds: Number(seconds.toFixed(3)),
            gif: gif(made.gif),
            clips: made.clips.map((c) => ({
              id: c.id,
              kind: c.kind,
              side: c.side,
              h5: c.h5,
              reason: c.reason,
              ...gif(c.gif),
            })),
          }),
        );
      } else {
        const g = made.gif;
        console.log(
          `ok       ${key}: ${g.path} (${g.frames} frames, ${g.width}×${g.height}, ${g.colours} colours, ${(g.bytes / 1e6).toFixed(2)} MB, ${seconds.toFixed(1)} s)`,
        );
        for (const c of made.clips) console.log(`  clip   ${c.id}  ${c.reason} → ${c.gif.path}`);
      }
    } catch (error) {
      if (!(
        error instanceof EpisodeError ||
        error instanceof PreviewError ||
        error instanceof OutputWriteError
      ))
        throw error;
      failed++;
      if (values.json)
        console.log(
          JSON.stringify({
            type: "preview",
            key,
            status: "error",
            code: error instanceof PreviewError ? "preview_failed" : error.code,
            error: error.message,
          }),
        );
      else console.log(`error    ${key}: ${error.message}`);
    }
  }
  progress.update(done, episodes.length, "takes");
  return failed > 0 || skipped > 0 ? 1 : 0;
}
