import type { PoolTask } from "../pool/index.js";
import { STAGE_RESULTS, type StageName, type StageResults } from "./stageResults.js";
import type * as tasks from "./stageTasks.js";

/** The worker module (stageTasks), loaded by each worker thread, never by this one. */
const TASKS = new URL(`./stageTasks${import.meta.url.endsWith(".ts") ? ".ts" : ".js"}`, import.meta.url).href;

/** Each stage's function in stageTasks. */
const FUNCTIONS = {
  check: "checkStage",
  analyse: "analyseStage",
  compress: "compressStage",
  settle: "settleStage",
  index: "indexStage",
  detect: "detectStage",
  previews: "previewsStage",
} as const satisfies Record<StageName, keyof typeof tasks>;

/** A stage's arguments, as its function in stageTasks takes them. */
export type StageArgs = { readonly [S in StageName]: Parameters<(typeof tasks)[(typeof FUNCTIONS)[S]]> };

/** The pool task of a stage: its function, its arguments, and its result read back with its type. */
export function stageTask<S extends StageName>(stage: S, ...args: StageArgs[S]): PoolTask<StageResults[S]> {
  return {
    module: TASKS,
    fn: FUNCTIONS[stage],
    args,
    reply: (value) => STAGE_RESULTS[stage].parse(value) as StageResults[S],
  };
}
