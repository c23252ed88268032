import { basename } from "node:path";
import { defaultReportDir } from "../dataset/index.js";
import { SessionState } from "../scheduler/SessionState.js";
import { stageTask } from "../scheduler/stageTask.js";
import type { StageJobContext } from "./runEpisodeJob.js";
import type { ReportsJobData, StageJobResult } from "./stageJob.js";

/**
 * The dataset's reports, last: once every session's job is done, detect over every indexed take of
 * the run, per report folder (a dataset's figures/dataset_figures, or a loose session's own). Each
 * take's result comes from its session's cache, so this only rewrites the reports, the same bytes
 * the last session's detect wrote when nothing changed in between.
 */
export async function runReportsJob(data: ReportsJobData, context: StageJobContext): Promise<StageJobResult> {
  const byReportDir = new Map<string, string[]>();
  for (const { session, paths } of data.sessions) {
    const indexed = await context.lock.with(session, () => {
      const state = new SessionState(session);
      return paths.filter((p) => state.episode(basename(p, ".h5")).index?.state === "done");
    });
    for (const path of indexed) {
      const dir = defaultReportDir(path);
      byReportDir.set(dir, [...(byReportDir.get(dir) ?? []), path]);
    }
  }
  if (byReportDir.size === 0) return { state: "skipped", reason: "no take was indexed" };
  for (const paths of byReportDir.values())
    await context.pool.run(stageTask("detect", paths, data.config.detect));
  return { state: "done" };
}
