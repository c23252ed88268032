import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateEpisode } from "../../sim/episode/generate.js";
import { presetSession } from "../../sim/episode/presets.js";
import { type MotiveSimulator, startSimulator } from "../../sim/motive/index.js";
import { DaemonProcess } from "../daemon/DaemonProcess.js";
import { freePort } from "../helpers/freePort.js";
import { tempDir } from "../helpers/paths.js";
import { RedisServer } from "../helpers/RedisServer.js";
import { waitFor } from "../helpers/waitFor.js";
import { RecorderProcess } from "../tap/RecorderProcess.js";
import { QUEUE_FLAGS, WorkerProcess } from "./queueProcesses.js";

/** The stand-in recorder's tick queue (as test/daemon/tapDaemon.test.ts): no tick dropped on a busy machine. */
const QUEUE_TICKS = 900;
/** The chain's stages are heavy: each wait below is bounded only by the test's timeout. */
const STAGE = 240_000;

describe("rigwatch run with stages.queue: the post-session chain through the queue's workers", () => {
  const dir = tempDir("rigwatch-daemon-queue-");
  const session = presetSession("clean", { seed: 3, seconds: 2 });
  // Two sessions of one take each: the first ends while Redis is down, the second once it is back.
  const first = join(dir.path, "data", session.task, "2026-06-01", "episode_000.h5");
  const second = join(dir.path, "data", session.task, "2026-06-02", "episode_001.h5");
  let motive: MotiveSimulator;
  let recorder: RecorderProcess;
  let redis: RedisServer;
  let worker: WorkerProcess;
  let daemon: DaemonProcess;

  beforeAll(async () => {
    const scenario = session.episodes[0] as never;
    await generateEpisode({ ...(scenario as object), createdAt: "2026-06-01T09:00:00" } as never, first);
    await generateEpisode({ ...(scenario as object), createdAt: "2026-06-02T09:00:00" } as never, second);
    redis = await RedisServer.start();
    worker = await WorkerProcess.start(redis.url, 1);
    motive = await startSimulator({ commandPort: 0, rateHz: 120 });
    const tap = `tcp://127.0.0.1:${await freePort()}`;
    const alarms = `tcp://127.0.0.1:${await freePort()}`;
    recorder = await RecorderProcess.start(tap, alarms, QUEUE_TICKS);
    daemon = await DaemonProcess.start([
      ...["--natnet-command-port", String(motive.port), "--tap", tap, "--tap-alarms", alarms],
      ...["--set", "tap.silentAfterS=60", "--set", "detect.otGapS=1"],
      ...["--set", `stages.dataRoots=${dir.path}`, "--set", "stages.settleS=0"],
      ...["--set", `stages.queue=${redis.url}`],
      ...QUEUE_FLAGS,
    ]);
    await waitFor(() => daemon.logs.some((l) => l.msg === "recorder tap found"), "the tap", 60_000);
  }, 180_000);
  afterAll(async () => {
    await daemon?.stop("SIGKILL");
    await recorder?.kill().catch(() => undefined);
    await motive?.close();
    await worker?.stop();
    await redis?.stop();
    dir.cleanup();
  });

  const has = (episode: number | null, stage: string, state: string) =>
    daemon.messages.some(
      (m) => m.type === "progress" && m.episode === episode && m.stage === stage && m.state === state,
    );
  const outputs = (path: string, episode: string) => {
    const date = path.split("/").at(-2) as string;
    return [
      join(dir.path, "processed/contact", session.task, date, `${episode}.pt`),
      join(dir.path, "figures/episode_previews", session.task, date, `${episode}.gif`),
    ].map((p) => existsSync(p));
  };

  it("Redis down when a take ends: a stage_queue alarm, and the session runs on the daemon's own pool", async () => {
    await redis.down();
    await recorder.send({ op: "episode_start", path: first, episode: 0 });
    await recorder.send({ op: "episode_end", path: first, episode: 0, written: 60, dropped: 0 });
    await waitFor(() => daemon.raised("stage_queue").length === 1, "the stage_queue alarm", 30_000);
    expect(daemon.raised("stage_queue")[0]).toMatchObject({
      subject: "stages",
      severity: "warning",
      detail: { queue: redis.url, session: join(dir.path, "data", session.task, "2026-06-01") },
    });
    await recorder.send({ op: "session_end" });
    await waitFor(() => has(null, "metadata", "done"), "the session's chain on the daemon's pool", STAGE);
    expect(has(0, "compress", "done") && has(0, "index", "done") && has(0, "previews", "done")).toBe(true);
    expect(outputs(first, "episode_000")).toEqual([true, true]);
    expect(daemon.logs.some((l) => String(l.msg).startsWith("the stage queue cannot be reached"))).toBe(true);
    expect(worker.ended()).toEqual([]); // nothing reached the queue
  }, 300_000);

  it("Redis back: the alarm clears at the next take, the session goes to the queue's worker, its progress on /ws", async () => {
    await redis.up();
    const before = daemon.messages.length;
    await recorder.send({ op: "episode_start", path: second, episode: 1 });
    await recorder.send({ op: "episode_end", path: second, episode: 1, written: 60, dropped: 0 });
    await waitFor(() => daemon.cleared("stage_queue").length === 1, "the stage_queue alarm to clear", 30_000);
    await recorder.send({ op: "session_end" });
    const since = () => daemon.messages.slice(before);
    const seen = (episode: number | null, stage: string, state: string) =>
      since().some(
        (m) => m.type === "progress" && m.episode === episode && m.stage === stage && m.state === state,
      );
    await waitFor(() => seen(null, "metadata", "done"), "the session's chain through the queue", STAGE);
    // The run's last job, the dataset's reports, after the session's; its worker prints it a moment later.
    await waitFor(() => seen(null, "reports", "done"), "the run's reports job", STAGE);
    await waitFor(
      () => worker.ended().some((l) => (l.job as string).endsWith(".reports")),
      "the worker to print the reports job",
      30_000,
    );
    for (const stage of ["check", "analyse", "compress", "index", "previews"])
      expect([stage, seen(1, stage, "running"), seen(1, stage, "done")]).toEqual([stage, true, true]);
    for (const step of ["settle", "detect"]) expect([step, seen(null, step, "done")]).toEqual([step, true]);
    expect(outputs(second, "episode_001")).toEqual([true, true]);
    expect(daemon.logs.some((l) => String(l.msg).startsWith("stages handed to the queue"))).toBe(true);
    // The worker ran them: every job of the session's flow, none failed.
    const ended = worker.ended();
    expect(ended.filter((l) => l.state === "failed")).toEqual([]);
    // Job ids less the run and the session: `<run>.<date>@<hash>.episode_001.check` → `episode_001.check`.
    const local = (id: string) => id.replace(/^[0-9a-f]{16}\.([^.]+@[0-9a-f]{8}\.)?/, "");
    expect(ended.map((l) => local(l.job as string)).sort()).toEqual(
      [
        "episode_001.analyse",
        "episode_001.check",
        "episode_001.compress",
        "reports",
        "session",
        "session.episode_001.index",
        "session.episode_001.previews",
      ].sort(),
    );
  }, 300_000);
});
