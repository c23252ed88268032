import { parseArgs } from "node:util";
import { runIndex } from "../../stages/contactIndex/index.js";
import { configFlags, configFrom } from "../configFlags.js";
import { scanEpisodes } from "../../stages/dataset/index.js";
import { reportSkipped } from "../reportSkipped.js";
import { NO_PROGRESS, type Progress } from "../ProgressBar.js";
import { UsageError } from "../UsageError.js";

/** `rigwatch index`: writes the contact index (.pt + .contact.json, spec §4) of every episode given. */
export async function index(argv: readonly string[], progress: Progress = NO_PROGRESS): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      out: { type: "string" },
      mode: { type: "string" },
      tasks: { type: "string" },
      json: { type: "boolean" },
      ...configFlags,
    },
  });
  if (positionals.length === 0) throw new UsageError("index needs a session folder or episode files");
  const config = configFrom(values);
  const scan = scanEpisodes(positionals);
  const skipped = reportSkipped(scan.skipped, values.json ?? false);
  const episodes = scan.episodes;
  if (episodes.length === 0) {
    if (skipped > 0) return 1;
    throw new UsageError(`no episode_NNN.h5 files in ${positionals.join(", ")}`);
  }
  let done = 0;
  const run = await runIndex(episodes, {
    detect: config.detect,
    ...(values.out === undefined ? {} : { out: values.out }),
    ...(values.mode === undefined ? {} : { mode: values.mode }),
    ...(values.tasks === undefined ? {} : { tasksPath: values.tasks }),
    onEpisode(key, outcome) {
      progress.update(++done, episodes.length, "takes");
      if (outcome instanceof Error) {
        if (values.json)
          console.log(
            JSON.stringify({
              type: "index",
              key,
              status: "error",
              code: "code" in outcome ? outcome.code : "write_failed",
              error: outcome.message,
            }),
          );
        else console.log(`error    ${key}: ${outcome.message}`);
        return;
      }
      const r = outcome.result;
      if (values.json) {
        console.log(
          JSON.stringify({
            type: "index",
            key,
            status: "ok",
            pt: outcome.ptPath,
            sidecar: outcome.sidecarPath,
            bytes: outcome.ptBytes,
            n_frames: r.nFrames,
            trim_offset: r.trimOffset,
            active_sensors: r.activeSensors,
            drift: r.drift,
            drift_warning: r.driftWarning,
          }),
        );
      } else {
        console.log(
          `ok       ${key}: ${r.nFrames} frames (trim ${r.trimOffset}) → ${outcome.ptPath} (${(outcome.ptBytes / 1e6).toFixed(1)} MB)${r.driftWarning ? " drift warning" : ""}`,
        );
      }
    },
  });
  return run.failed.length > 0 || skipped > 0 ? 1 : 0;
}
