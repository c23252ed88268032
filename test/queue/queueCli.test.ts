import { describe, expect, it } from "vitest";
import { runCli } from "./queueProcesses.js";

describe("queue commands: bad command lines say what is wrong", () => {
  it("worker and queue need --queue, queue knows status and retry, a URL that is not redis:// is refused", async () => {
    const results = await Promise.all([
      runCli(["worker"]),
      runCli(["queue", "status"]),
      runCli(["queue", "drain", "--queue", "redis://127.0.0.1:1"]),
      runCli(["worker", "--queue", "http://host:6379"]),
      runCli(["worker", "--queue", "redis://127.0.0.1:6379", "--jobs", "0"]),
    ]);
    expect(results.map((r) => [r.code, r.stderr.split("\n")[0]])).toEqual([
      [2, "rigwatch worker: worker needs --queue redis://HOST:PORT"],
      [2, "rigwatch queue: queue needs --queue redis://HOST:PORT"],
      [2, "rigwatch queue: queue expects status or retry, got drain"],
      [
        1,
        "rigwatch worker: --queue http://host:6379: the scheme is http, not redis (expected redis://HOST:PORT)",
      ],
      [2, "rigwatch worker: --jobs expects 1..16, got 0"],
    ]);
  });
});
