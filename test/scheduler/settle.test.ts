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
 * The session's active sensors are settled once, before any take is indexed: a take where only the
 * left hand worked is detected as left-only by itself, the session (both takes) is left and right;
 * that set goes into tasks.json first, so every take is indexed, detected and previewed once, with it.
 */
describe("the session's active sensors, settled before any take is analysed", () => {
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

  const sidecar = (name: string) =>
    JSON.parse(
      readFileSync(
        join(dir.path, "processed", "contact", session.task, session.date, `${name}.contact.json`),
        "utf8",
      ),
    );

  it("runs every stage once: no take is indexed, detected or previewed twice", () => {
    expect(outcome.failed).toBe(0);
    expect(
      events.filter((e) => e.state === "done").map((e) => `${e.stage} ${e.episode ?? "session"}`),
    ).toEqual([
      "check 0",
      "analyse 0",
      "compress 0",
      "check 1",
      "analyse 1",
      "compress 1",
      "settle session",
      "index 0",
      "index 1",
      "detect session",
      "previews 0",
      "previews 1",
      "metadata session",
    ]);
  });

  it("decodes each take once: compress carries the pass's evidence over to its verified copy", () => {
    const state = JSON.parse(readFileSync(join(dateDir, ".rigwatch", "stages.json"), "utf8"));
    for (const name of ["episode_000", "episode_001"]) {
      expect(state.episodes[name].analyse.result).toMatchObject({ frames: 90, reused: false });
      expect(state.episodes[name].compress.result).toMatchObject({
        status: "compressed",
        evidenceCarried: true,
      });
    }
    expect(state.session.settle.result.detected).toEqual({
      episode_000: ["left", "right"],
      episode_001: ["left"],
    });
  });

  it("records the union in tasks.json, and every output agrees with it", () => {
    const tasks = JSON.parse(readFileSync(join(dir.path, "tasks.json"), "utf8"));
    expect(tasks.per_date_notes[session.date]).toMatchObject({
      kind: "bimanual",
      active_sensors: ["left", "right"],
    });
    for (const name of ["episode_000", "episode_001"])
      expect([sidecar(name).active_sensors, sidecar(name).active_source]).toEqual([
        ["left", "right"],
        "tasks.json",
      ]);
    const csv = readFileSync(join(dir.path, "figures", "dataset_figures", "data_quality_report.csv"), "utf8");
    expect(csv.split("\n").filter((l) => l.includes("episode_001"))[0]).toContain(",left+right,");
  });
});
