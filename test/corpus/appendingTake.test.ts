import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { recorderEpisode, tempDir } from "../helpers/paths.js";
import { jsonLines, runCli } from "./corpusDataset.js";

const RECORDER = fileURLToPath(new URL("./appendingRecorder.py", import.meta.url));
const SAME_CONTENT = fileURLToPath(new URL("./sameContent.py", import.meta.url));
const SOURCE = recorderEpisode("blosc");
/** The recorder and rigwatch run as one user here: the lock, not a permission, is what must stop rigwatch. */
const AS_ME = { asTestUser: true };

/** The h5py recorder of appendingRecorder.py, driven one command at a time. */
class Recorder {
  private readonly lines: AsyncIterator<string>;
  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    this.lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  }

  static async start(dest: string): Promise<{ recorder: Recorder; first: unknown }> {
    const child = spawn("/usr/bin/python3", [RECORDER, SOURCE, dest]);
    const recorder = new Recorder(child);
    return { recorder, first: await recorder.answer() };
  }

  async send(command: string): Promise<unknown> {
    this.child.stdin.write(`${command}\n`);
    return await this.answer();
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  kill(): void {
    this.child.kill("SIGKILL");
  }

  private async answer(): Promise<unknown> {
    const next = await this.lines.next();
    if (next.done) throw new Error("the recorder stopped answering");
    return JSON.parse(next.value) as unknown;
  }
}

/**
 * The recorder still appending to a take when the stages reach it: HDF5 (h5py included) holds a write
 * lock on a file open for writing, and every stage that could rename or replace it looks for that lock
 * first. The take is left exactly where and as it is, reported as still being written, and the other
 * takes of the session go on; once the recorder closes it, it is curated like any other.
 */
describe("a take the recorder is still writing", () => {
  const dir = tempDir();
  const recorders: Recorder[] = [];
  afterAll(() => {
    for (const r of recorders) r.kill();
    dir.cleanup();
  });

  it("is never renamed or replaced while it is open for writing, and is curated once it is closed", async () => {
    const dateDir = join(dir.path, "data", "motherboard", "2026-05-30");
    mkdirSync(dateDir, { recursive: true });
    const open = join(dateDir, "episode_000.h5");
    const finished = join(dateDir, "episode_001.h5");
    copyFileSync(SOURCE, finished);
    const { recorder, first } = await Recorder.start(open);
    recorders.push(recorder);
    expect(first).toEqual({ ready: true, frames: 1 });
    expect(await recorder.send("append 19")).toEqual({ frames: 20 });
    const inode = statSync(open).ino;

    const check = await runCli(["check", dateDir, "--deep", "--json"], AS_ME);
    expect(check.status).toBe(1);
    expect(jsonLines(check).map((l) => [l.path, l.status, l.code])).toEqual([
      [open, "busy", "being_written"],
      [finished, "ok", undefined],
    ]);

    const compress = await runCli(["compress", dateDir, "--json"], AS_ME);
    expect(jsonLines(compress).map((l) => [l.path, l.status, l.code])).toEqual([
      [open, "failed", "being_written"],
      [finished, "compressed", undefined],
    ]);

    const process = await runCli(["process", dateDir, "--set", "previews.frames=3", "--json"], AS_ME);
    expect(process.status).toBe(1);
    const summary = jsonLines(process).find((l) => l.type === "session") as Record<string, unknown>;
    expect([summary.done, summary.quarantined, summary.busy]).toEqual([
      1,
      [],
      [
        {
          episode: "episode_000",
          error: `${open}: being written: process ${recorder.pid} holds it open for writing (FLOCK lock); left alone until it is closed`,
        },
      ],
    ]);
    expect(statSync(open).ino).toBe(inode);
    expect(readdirSync(dateDir).sort()).toEqual([".rigwatch", "episode_000.h5", "episode_001.h5"]);

    // The recorder was never disturbed: it finishes its take, which holds every frame it wrote.
    expect(await recorder.send("append 40")).toEqual({ frames: 60 });
    expect(await recorder.send("close")).toEqual({ closed: true });
    expect(statSync(open).ino).toBe(inode);
    expect(
      JSON.parse(execFileSync("/usr/bin/python3", [SAME_CONTENT, SOURCE, open], { encoding: "utf8" })),
    ).toEqual({ differ: [] });

    const again = await runCli(["process", dateDir, "--set", "previews.frames=3", "--json"], AS_ME);
    const after = jsonLines(again).find((l) => l.type === "session") as Record<string, unknown>;
    expect([again.status, after.done, after.busy]).toEqual([0, 2, []]);
  }, 300_000);
});
