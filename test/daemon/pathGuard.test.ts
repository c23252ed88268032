import { copyFileSync, mkdirSync, readdirSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { Writable } from "node:stream";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { defaultConfig } from "../../config/index.js";
import { StageService } from "../../daemon/StageService.js";
import type { AlarmEvent } from "../../detectors/alarm.js";
import { curatedEpisode, resolveDataRoots } from "../../stages/dataset/index.js";
import { recorderEpisode, tempDir } from "../helpers/paths.js";
import type { StageProgress } from "../../stages/scheduler/StageProgress.js";
import { waitFor } from "../helpers/waitFor.js";

/** Every path below `dir` with its kind, size and mtime: what "nothing renamed or created" compares. */
function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      const s = statSync(p, { throwIfNoEntry: false });
      out.push(
        `${relative(dir, p)} ${entry.isSymbolicLink() ? "link" : entry.isDirectory() ? "dir" : "file"} ${s?.size ?? "-"} ${s?.mtimeMs ?? "-"}`,
      );
      if (entry.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out.sort();
}

const dirs: { cleanup: () => void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.cleanup();
});

/** A data root holding one dataset with one session, a stray file, and a second dataset outside every root. */
function layout() {
  const root = tempDir("rigwatch-root-");
  const outside = tempDir("rigwatch-outside-");
  dirs.push(root, outside);
  const session = join(root.path, "ds", "data", "pick", "2026-01-02");
  mkdirSync(session, { recursive: true });
  mkdirSync(join(root.path, "ds", "data", ".hidden", "2026-01-02"), { recursive: true });
  mkdirSync(join(session, "episode_009.h5")); // a folder named like a take
  const episode = join(session, "episode_000.h5");
  writeFileSync(episode, "take");
  writeFileSync(join(root.path, "notes.txt"), "notes");
  writeFileSync(join(root.path, "episode_000.h5"), "no session");
  writeFileSync(join(root.path, "ds", "data", ".hidden", "2026-01-02", "episode_000.h5"), "hidden");
  const foreign = join(outside.path, "other", "data", "pick", "2026-01-02");
  mkdirSync(foreign, { recursive: true });
  writeFileSync(join(foreign, "episode_000.h5"), "someone else's");
  symlinkSync(join(root.path, "notes.txt"), join(session, "episode_001.h5"));
  symlinkSync(join(foreign, "episode_000.h5"), join(session, "episode_002.h5"));
  const roots = resolveDataRoots([root.path]);
  return { root: root.path, outside: outside.path, session, episode, foreign, roots };
}

describe("curatedEpisode: the daemon only touches episodes of its data roots", () => {
  it("resolves links and `..` and names why anything else is refused", () => {
    const { root, session, episode, roots } = layout();
    expect(curatedEpisode(episode, roots)).toEqual({ ok: true, path: episode, sessionDir: session });
    expect(curatedEpisode(join(session, "..", "2026-01-02", "episode_000.h5"), roots)).toEqual({
      ok: true,
      path: episode,
      sessionDir: session,
    });
    const reason = (p: string) => {
      const v = curatedEpisode(p, roots);
      return v.ok ? "ok" : v.reason;
    };
    expect(reason(relative(process.cwd(), episode))).toBe("not_absolute"); // it exists, seen from here
    expect(reason("sim-data/today/episode_000.h5")).toBe("not_found"); // the simulated recorder's takes
    expect(reason(`${episode}\0`)).toBe("not_absolute");
    expect(reason(join(session, "episode_404.h5"))).toBe("not_found");
    expect(reason(join(root, "notes.txt"))).toBe("not_an_episode");
    expect(reason(join(session, "episode_009.h5"))).toBe("not_a_file");
    expect(reason(join(session, "episode_001.h5"))).toBe("not_an_episode"); // a link to notes.txt
    expect(reason(join(root, "episode_000.h5"))).toBe("not_in_a_session");
    expect(reason(join(root, "ds", "data", ".hidden", "2026-01-02", "episode_000.h5"))).toBe(
      "not_in_a_session",
    );
    expect(reason(join(session, "episode_002.h5"))).toBe("outside_data_roots"); // a link out of the root
    expect(curatedEpisode(join(session, "episode_002.h5"), roots)).toMatchObject({
      message: expect.stringContaining("resolves to") as string,
    });
  });

  it("takes `~` as the home folder", () => {
    expect(resolveDataRoots(["~", "~/rec", "/srv/x/../y"], "/nonexistent-home")).toEqual([
      "/nonexistent-home",
      "/nonexistent-home/rec",
      "/srv/y",
    ]);
  });
});

describe("StageService refuses paths outside its data roots", () => {
  it("raises one stage_refused alarm, logs every refusal, renames and creates nothing; an accepted take clears it", async () => {
    const { root, outside, session, episode } = layout();
    const lines: { msg: string; reason?: string }[] = [];
    const log = pino(
      { level: "info" },
      new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.push(JSON.parse(String(chunk)) as { msg: string; reason?: string });
          done();
        },
      }),
    );
    const config = defaultConfig();
    const alarms: AlarmEvent[] = [];
    let now = 100;
    const service = new StageService({
      config: { ...config, stages: { ...config.stages, dataRoots: [root], settleS: 0 } },
      log,
      progress: () => undefined,
      alarm: (a) => alarms.push(a),
      now: () => now,
    });
    const before = [tree(root), tree(outside)];
    const closed = (path: string) =>
      service.onLifecycle({
        type: "episode_closed",
        episode: 0,
        path,
        framesWritten: 1,
        framesDropped: 0,
        interrupted: false,
      });
    closed(join(root, "notes.txt"));
    closed(join(session, "episode_009.h5"));
    closed(join(session, "episode_002.h5"));
    service.onLifecycle({
      type: "session_closed",
      reason: "operator",
      episodes: [join(root, "episode_000.h5"), join(session, "episode_001.h5")],
    });
    await service.idle();
    expect([tree(root), tree(outside)]).toEqual(before);
    expect(service.refusedCount).toBe(5);
    expect(lines.filter((l) => l.msg.startsWith("stages refused a path")).map((l) => l.reason)).toEqual([
      "not_an_episode",
      "not_a_file",
      "outside_data_roots",
      "not_in_a_session",
      "not_an_episode",
    ]);
    expect(alarms).toEqual([
      {
        type: "alarm",
        id: "stage_refused:stages:1",
        kind: "stage_refused",
        state: "raised",
        severity: "warning",
        subject: "stages",
        t: 100,
        detail: {
          path: join(root, "notes.txt"),
          reason: "not_an_episode",
          message: `${JSON.stringify(join(root, "notes.txt"))}: not an episode_NNN.h5 file`,
        },
      },
    ]);
    now = 101;
    closed(episode);
    await service.close(); // before the accepted take's stages start: only the verdict is under test
    await service.idle();
    expect(alarms.at(-1)).toEqual({
      type: "alarm",
      id: "stage_refused:stages:1",
      kind: "stage_refused",
      state: "cleared",
      severity: "warning",
      subject: "stages",
      t: 101,
      detail: { reason: "a take's file was accepted" },
    });
    expect(tree(root)).toEqual(before[0]);
  });
});

describe("StageService waits for a take to settle", () => {
  it("never stages the take the recorder is recording; once closed, its check runs", async () => {
    const { root, session } = layout();
    const episode = join(session, "episode_003.h5");
    copyFileSync(recorderEpisode("gzip-shuffle"), episode);
    const lines: string[] = [];
    const log = pino(
      { level: "info" },
      new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.push((JSON.parse(String(chunk)) as { msg: string }).msg);
          done();
        },
      }),
    );
    const config = defaultConfig();
    const progress: StageProgress[] = [];
    let recording: string | undefined = episode;
    const service = new StageService({
      config: { ...config, stages: { ...config.stages, dataRoots: [root], settleS: 0 } },
      log,
      progress: (p) => progress.push(p),
      openTake: () => recording,
      settlePollMs: 5,
    });
    try {
      service.onLifecycle({
        type: "episode_closed",
        episode: 3,
        path: episode,
        framesWritten: 1,
        framesDropped: 0,
        interrupted: false,
      });
      await waitFor(() => lines.some((l) => l.startsWith("waiting for")), "the wait");
      expect(lines).toContain(`waiting for ${episode} to settle: the recorder is recording it`);
      expect(progress).toEqual([]);
      recording = undefined;
      await waitFor(
        () => progress.some((p) => p.stage === "check" && p.state === "done"),
        "the take's check",
        30_000,
      );
      expect(progress.find((p) => p.stage === "check")?.episode).toBe(3);
    } finally {
      await service.close();
      await service.idle();
    }
  }, 60_000);
});
