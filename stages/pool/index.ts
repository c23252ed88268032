export type { PoolTask } from "./messages.js";
export { PoolClosedError, TaskError, TaskReplyError, WorkerCrashedError } from "./TaskError.js";
export { WorkerPool, type WorkerPoolOptions } from "./WorkerPool.js";
