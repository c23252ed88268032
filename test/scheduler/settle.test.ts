import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultConfig } from "../../config/index.js";
import { generateEpisode } from "../../sim/episode/generate.js";
import { presetSession } from "../../sim/episode/presets.js";
import type { StageProgress } from "../../stages/scheduler/StageProgress.js";
import { WorkerPool } from "../../stages/pool/index.js";
import { SessionScheduler } from "../../stages/scheduler/SessionScheduler.js";
import { tempDir } from "../helpers/paths.js";

/**
 * The session's active sensors are settled once: a take where only the left hand worked is detected
 * as left-only; the metadata stage records the session's union (left, right) in tasks.json; that take
 * is indexed and detected again with it, so tasks.json, its .pt and the reports agree.
 */
describe("the session's active sensors, settled by the chain", () => {
  const dir = tempDir();
  const pool = new WorkerPool({ size: 1 });
  const session = presetSession("clean", { seed: 21, seconds: 3 });
  const dateDir = join(dir.path, "data", session.task, session.date);
  const config = defaultConfig();
  const events: StageProgress[] = [];
  let outcome: Awaited<ReturnType<SessionScheduler["run"]>>;

  beforeAll(async () => {
    const [both, leftOnly] = session.episodes;
    await generateEpisode(both as never, join(dateDir, "episode_000.h5"));
    await generateEpisode(
      { ...(leftOnly as object), activeSides: ["left"] } as never,
      join(dateDir, "episode_001.h5"),
    );
    const scheduler = new SessionScheduler(dateDir, {
      detect: config.detect,
      previews: { ...config.previews, frames: 6, clips: { ...config.previews.clips, frames: 6 } },
      pool,
      jobs: 1,
    });
    scheduler.progress$.subscribe((p) => events.push(p));
    outcome = await scheduler.run([join(dateDir, "episode_000.h5"), join(dateDir, "episode_001.h5")]);
  }, 180_000);
  afterAll(async () => {
    await pool.close();
    dir.cleanup();
  });

  it("indexes and detects the left-only take again with the session's sensors, once", () => {
    expect(outcome.failed).toBe(0);
    const ran = events.filter((e) => e.state === "done").map((e) => `${e.stage} ${e.episode ?? "session"}`);
    expect(ran).toEqual([
      "check 0",
      "compress 0",
      "index 0",
      "check 1",
      "compress 1",
      "index 1",
      "detect session",
      "previews 0",
      "previews 1",
      "metadata session",
      // Round two: only the take analysed with another set.
      "index 1",
      "detect session",
      "previews 0",
      "previews 1",
    ]);
    expect(events.filter((e) => e.stage === "metadata").map((e) => e.state)).toEqual(["done", "skipped"]);
    const tasks = JSON.parse(readFileSync(join(dir.path, "tasks.json"), "utf8"));
    expect(tasks.per_date_notes[session.date].active_sensors).toEqual(["left", "right"]);
    const sidecar = (name: string) =>
      JSON.parse(
        readFileSync(
          join(dir.path, "processed", "contact", session.task, session.date, `${name}.contact.json`),
          "utf8",
        ),
      );
    expect([sidecar("episode_001").active_sensors, sidecar("episode_001").active_source]).toEqual([
      ["left", "right"],
      "tasks.json",
    ]);
    // The take that already had both sides keeps its first index.
    expect([sidecar("episode_000").active_sensors, sidecar("episode_000").active_source]).toEqual([
      ["left", "right"],
      "detected",
    ]);
    const csv = readFileSync(join(dir.path, "figures", "dataset_figures", "data_quality_report.csv"), "utf8");
    expect(csv.split("\n").filter((l) => l.includes("episode_001"))[0]).toContain(",left+right,");
  });
});
