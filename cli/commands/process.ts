import { basename, dirname } from "node:path";
import { parseArgs } from "node:util";
import { WorkerPool } from "../../stages/pool/index.js";
import { SessionScheduler } from "../../stages/scheduler/SessionScheduler.js";
import { configFlags, configFrom } from "../configFlags.js";
import { scanEpisodes } from "../../stages/dataset/index.js";
import { SessionStateError } from "../../stages/scheduler/SessionState.js";
import { reportSkipped } from "../reportSkipped.js";
import { NO_PROGRESS, type Progress } from "../ProgressBar.js";
import { ProgressLine } from "../ProgressLine.js";
import { UsageError } from "../UsageError.js";
import { checkQueueUrl } from "../../stages/queue/redisConnection.js";

/**
 * `rigwatch process <date-dir>...`: the whole post-session chain (per take check → analysis pass →
 * compress; then the session's active sensors, each take's index, the session's detect reports, each
 * take's previews, tasks.json), resumable and idempotent, episodes in parallel with --jobs.
 */
export async function processSessions(
  argv: readonly string[],
  progress: Progress = NO_PROGRESS,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      jobs: { type: "string" },
      json: { type: "boolean" },
      queue: { type: "string" },
      follow: { type: "boolean" },
      ...configFlags,
    },
  });
  if (positionals.length === 0) throw new UsageError("process needs a session folder (data/<task>/<date>)");
  const jobs = Number(values.jobs ?? 1);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 16)
    throw new UsageError(`--jobs expects 1..16, got ${values.jobs}`);
  const config = configFrom(values);
  const sessions = new Map<string, string[]>();
  const scan = scanEpisodes(positionals);
  let failed = reportSkipped(scan.skipped, values.json ?? false);
  for (const path of scan.episodes) {
    const dir = dirname(path);
    sessions.set(dir, [...(sessions.get(dir) ?? []), path]);
  }
  if (sessions.size === 0) {
    if (failed > 0) return 1;
    throw new UsageError(`no episode_NNN.h5 files in ${positionals.join(", ")}`);
  }
  if (values.follow && values.queue === undefined) throw new UsageError("--follow goes with --queue");
  if (values.queue !== undefined) {
    checkQueueUrl(values.queue);
    const { processQueued } = await import("./processQueued.js");
    return processQueued({
      url: values.queue,
      sessions,
      config,
      follow: values.follow ?? false,
      json: values.json ?? false,
    });
  }

  const pool = new WorkerPool({ size: jobs });
  try {
    for (const [dir, episodes] of sessions) {
      const scheduler = new SessionScheduler(dir, {
        detect: config.detect,
        previews: config.previews,
        pool,
        jobs,
      });
      if (scheduler.state.discarded)
        process.stderr.write(`rigwatch process: ${scheduler.state.discarded}; starting over\n`);
      // Per take check, analyse, compress, index, previews; per session settle, detect, metadata.
      const line = values.json ? undefined : new ProgressLine(episodes.length * 5 + 3, progress);
      scheduler.progress$.subscribe((p) => {
        if (values.json) console.log(JSON.stringify({ type: "progress", ...p, session: dir }));
        else line?.update(p);
      });
      let outcome: Awaited<ReturnType<SessionScheduler["run"]>>;
      try {
        outcome = await scheduler.run(episodes);
      } catch (error) {
        // This session cannot be worked on; the others still are.
        if (!(error instanceof SessionStateError)) throw error;
        failed++;
        console.log(
          values.json
            ? JSON.stringify({ type: "session", session: dir, status: "failed", error: error.message })
            : `${basename(dirname(dir))}/${basename(dir)}: not processed: ${error.message}`,
        );
        continue;
      }
      failed += outcome.failed;
      const summary = {
        type: "session",
        session: dir,
        episodes: outcome.episodes.length,
        done: outcome.episodes.filter((e) => e.state === "done").length,
        quarantined: outcome.episodes.filter((e) => e.state === "quarantined").map((e) => e.episode),
        busy: outcome.episodes
          .filter((e) => e.state === "busy")
          .map((e) => ({ episode: e.episode, error: e.error })),
        failed: outcome.episodes
          .filter((e) => e.state === "failed")
          .map((e) => ({ episode: e.episode, error: e.error })),
        settle: outcome.settle,
        ...(outcome.settleError ? { settle_error: outcome.settleError } : {}),
        detect: outcome.detect,
        previews_failed: outcome.previewsFailed,
        metadata: outcome.metadata,
        ...(outcome.metadataError ? { metadata_error: outcome.metadataError } : {}),
      };
      if (values.json) console.log(JSON.stringify(summary));
      else
        console.log(
          `${basename(dirname(dir))}/${basename(dir)}: ${summary.done}/${summary.episodes} episodes processed` +
            `${summary.quarantined.length ? `, quarantined ${summary.quarantined.join(" ")}` : ""}` +
            `${summary.busy.length ? `, still being written ${summary.busy.map((f) => f.episode).join(" ")}` : ""}` +
            `${summary.failed.length ? `, failed ${summary.failed.map((f) => `${f.episode} (${f.error})`).join("; ")}` : ""}` +
            `${outcome.settleError ? `, active sensors not settled (${outcome.settleError})` : ""}` +
            `, reports ${outcome.detect}` +
            `${summary.previews_failed.length ? `, previews failed ${summary.previews_failed.map((f) => `${f.episode} (${f.error})`).join("; ")}` : ""}` +
            `, tasks.json ${outcome.metadata === "done" ? "updated" : outcome.metadata === "skipped" ? "up to date" : outcome.metadata}` +
            `${outcome.metadataError ? ` (${outcome.metadataError})` : ""}`,
        );
    }
  } finally {
    await pool.close();
  }
  return failed > 0 ? 1 : 0;
}
