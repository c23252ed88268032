import { afterEach, describe, expect, it } from "vitest";
import { TaskError, WorkerCrashedError, WorkerPool } from "../../stages/pool/index.js";

const TASKS = new URL("./poolTasks.ts", import.meta.url).href;

let pool: WorkerPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

describe("WorkerPool", () => {
  it("runs a module's exported function on a worker thread and returns its result", async () => {
    pool = new WorkerPool({ size: 1 });
    const result = await pool.run<{ sum: number; threadId: number }>({
      module: TASKS,
      fn: "add",
      args: [2, 3],
    });
    expect(result.sum).toBe(5);
    expect(result.threadId).toBeGreaterThan(0);
  });

  it("runs tasks on `size` threads at once", async () => {
    pool = new WorkerPool({ size: 2 });
    const threads = await Promise.all(
      [0, 1].map(() => pool!.run<number>({ module: TASKS, fn: "block", args: [300] })),
    );
    expect(new Set(threads).size).toBe(2);
  });

  it("carries a typed error back with its name, message and fields", async () => {
    pool = new WorkerPool({ size: 1 });
    const error = await pool
      .run({ module: TASKS, fn: "failTyped", args: ["/d/episode_000.h5"] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskError);
    expect(error).toMatchObject({
      name: "CompressError",
      message: "/d/episode_000.h5 [/timestamps]: disk full (copy): No space left on device",
      code: "disk_full",
      file: "/d/episode_000.h5",
      step: "copy",
      dataset: "/timestamps",
      fields: {
        code: "disk_full",
        file: "/d/episode_000.h5",
        step: "copy",
        dataset: "/timestamps",
        detail: "No space left on device",
      },
    });
  });

  it("fails only the task of a worker that dies, then keeps serving", async () => {
    pool = new WorkerPool({ size: 1 });
    const crashed = pool.run({ module: TASKS, fn: "crash", args: [] });
    const after = pool.run<{ sum: number }>({ module: TASKS, fn: "add", args: [1, 1] });
    const error = await crashed.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerCrashedError);
    expect((error as Error).message).toBe("worker died running crash(): exited with code 3");
    expect((await after).sum).toBe(2);
  });

  it("rejects a missing function as a task error", async () => {
    pool = new WorkerPool({ size: 1 });
    const error = await pool.run({ module: TASKS, fn: "nope", args: [] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "TypeError", message: `${TASKS} has no exported function nope` });
  });
});
