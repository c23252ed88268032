import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { TaskError, TaskReplyError, WorkerCrashedError, WorkerPool } from "../../stages/pool/index.js";

const TASKS = new URL("./poolTasks.ts", import.meta.url).href;
const sum = z.object({ sum: z.number(), threadId: z.number() });
const threadNumber = z.number();
const none = (value: unknown) => value;

let pool: WorkerPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

describe("WorkerPool", () => {
  it("runs a module's exported function on a worker thread and returns its result", async () => {
    pool = new WorkerPool({ size: 1 });
    const result = await pool.run({
      module: TASKS,
      fn: "add",
      args: [2, 3],
      reply: (value) => sum.parse(value),
    });
    expect(result.sum).toBe(5);
    expect(result.threadId).toBeGreaterThan(0);
  });

  it("runs tasks on `size` threads at once", async () => {
    pool = new WorkerPool({ size: 2 });
    const threads = await Promise.all(
      [0, 1].map(() =>
        pool!.run({ module: TASKS, fn: "block", args: [300], reply: (v) => threadNumber.parse(v) }),
      ),
    );
    expect(new Set(threads).size).toBe(2);
  });

  it("carries a typed error back with its name, message and fields", async () => {
    pool = new WorkerPool({ size: 1 });
    const error = await pool
      .run({ module: TASKS, fn: "failTyped", args: ["/d/episode_000.h5"], reply: none })
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
    const crashed = pool.run({ module: TASKS, fn: "crash", args: [], reply: none });
    const after = pool.run({ module: TASKS, fn: "add", args: [1, 1], reply: (v) => sum.parse(v) });
    const error = await crashed.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerCrashedError);
    expect((error as Error).message).toBe("worker died running crash(): exited with code 3");
    expect((await after).sum).toBe(2);
  });

  it("rejects a missing function as a task error", async () => {
    pool = new WorkerPool({ size: 1 });
    const error = await pool
      .run({ module: TASKS, fn: "nope", args: [], reply: none })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "TypeError", message: `${TASKS} has no exported function nope` });
  });

  it("types a result through the task's reply, and rejects one that is not what the task returns", async () => {
    pool = new WorkerPool({ size: 1 });
    const error = await pool
      .run({ module: TASKS, fn: "add", args: [1, 2], reply: (v) => threadNumber.parse(v) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskReplyError);
    expect((error as Error).message).toMatch(/^add\(1,2\) returned an unexpected result: /);
    // The pool keeps serving.
    expect(
      await pool.run({ module: TASKS, fn: "add", args: [2, 2], reply: (v) => sum.parse(v) }),
    ).toMatchObject({
      sum: 4,
    });
  });
});
