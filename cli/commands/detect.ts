import { parseArgs } from "node:util";
import { badFrameCount } from "../../sinks/reports/index.js";
import { defaultReportDir } from "../../stages/dataset/index.js";
import { runDetect } from "../../stages/detect/runDetect.js";
import { configFlags, configFrom } from "../configFlags.js";
import { scanEpisodes } from "../../stages/dataset/index.js";
import { reportSkipped } from "../reportSkipped.js";
import { NO_PROGRESS, type Progress } from "../ProgressBar.js";
import { UsageError } from "../UsageError.js";

export async function detect(argv: readonly string[], progress: Progress = NO_PROGRESS): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      out: { type: "string" },
      tasks: { type: "string" },
      json: { type: "boolean" },
      ...configFlags,
    },
  });
  if (positionals.length === 0) throw new UsageError("detect needs a session folder or episode files");
  const config = configFrom(values);
  const scan = scanEpisodes(positionals);
  const skipped = reportSkipped(scan.skipped, values.json ?? false);
  const episodes = scan.episodes;
  if (episodes.length === 0) {
    if (skipped > 0) return 1;
    throw new UsageError(`no episode_NNN.h5 files in ${positionals.join(", ")}`);
  }
  const out = values.out ?? defaultReportDir(episodes[0] as string);
  let done = 0;
  const run = await runDetect(episodes, {
    out,
    // The default folder holds the dataset's reports: they cover every session of it.
    datasetWide: values.out === undefined,
    detect: config.detect,
    ...(values.tasks === undefined ? {} : { tasksPath: values.tasks }),
    onEpisode(key, outcome) {
      // Dataset-wide runs also go over the dataset's other sessions: the total grows to meet them.
      done++;
      progress.update(done, Math.max(done, episodes.length), "takes");
      if ("code" in outcome) {
        if (values.json)
          console.log(
            JSON.stringify({
              type: "episode",
              key,
              status: "error",
              code: outcome.code,
              error: outcome.message,
            }),
          );
        else console.log(`error    ${key}: ${outcome.message}`);
        return;
      }
      const bad = badFrameCount(outcome);
      if (values.json) {
        console.log(
          JSON.stringify({
            type: "episode",
            key,
            status: "ok",
            n_frames: outcome.nFrames,
            trim_offset: outcome.trimOffset,
            bad_frames: bad,
            active_sensors: outcome.activeSensors,
            lists: outcome.lists,
            warnings: outcome.warnings,
          }),
        );
      } else {
        const found = Object.entries(outcome.lists)
          .filter(([, l]) => l.length > 0)
          .map(([name, l]) => `${name}=${l.length}`)
          .join(" ");
        console.log(
          `ok       ${key}: ${outcome.nFrames} frames (trim ${outcome.trimOffset}), ${bad} bad${found ? `: ${found}` : ""}`,
        );
        for (const warning of outcome.warnings) console.log(`         warning: ${warning}`);
      }
    },
  });
  if (!values.json) console.log(`reports written to ${out}`);
  return run.unreadable.length > 0 || skipped > 0 ? 1 : 0;
}
