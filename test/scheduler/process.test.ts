import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPreflight } from "../../stages/preflight/index.js";
import { tempDir } from "../helpers/paths.js";
import type { FreezeRecord } from "../../sinks/reports/index.js";
import {
  CLI,
  copySession,
  h5Digests,
  type H5Digest,
  killWhen,
  listFiles,
  makeSession,
  runProcess,
} from "./helpers.js";

const GZIP = 1;
const REPORTS = [
  "bad_frames.json",
  "data_quality_breakdown.json",
  "data_quality_report.csv",
  "freeze_intervals.json",
];

describe("rigwatch process: the post-session chain, resumable and idempotent", () => {
  const dir = tempDir();
  let source: Awaited<ReturnType<typeof makeSession>>;
  const reference = join(dir.path, "reference");
  const sourceDigests: Record<string, H5Digest> = {};

  beforeAll(async () => {
    source = await makeSession(join(dir.path, "source"));
    h5Digests(source.episodes).forEach((digest, i) => {
      const p = source.episodes[i] as string;
      sourceDigests[p.slice(p.lastIndexOf("/"))] = digest;
    });
    copySession(join(dir.path, "source"), reference);
  }, 60_000);
  afterAll(() => dir.cleanup());

  const session = (root: string) => join(root, "data", "motherboard", "2026-05-31");

  it("runs check → compress → index → detect, quarantines the corrupt take, and a re-run changes nothing", async () => {
    const dateDir = session(reference);
    const first = runProcess(["--jobs", "2", dateDir]);
    expect(first.stderr.split("\n").filter((l) => /error|failed/i.test(l))).toEqual([
      expect.stringMatching(/^failed {3}check {4}episode 9: /),
    ]);
    expect(first.status).toBe(0);
    expect(first.stdout).toContain("3/4 episodes processed, quarantined episode_009, reports done");
    const files = listFiles(join(reference));
    expect(files).toContain("data/motherboard/2026-05-31/episode_009.h5.corrupt");
    const digests = h5Digests([0, 1, 2].map((i) => join(dateDir, `episode_00${i}.h5`)));
    for (const i of [0, 1, 2]) {
      expect(files).toContain(`processed/contact/motherboard/2026-05-31/episode_00${i}.pt`);
      expect(files).toContain(`processed/contact/motherboard/2026-05-31/episode_00${i}.contact.json`);
      // GZIP now, values unchanged, read by h5py without hdf5plugin.
      const digest = digests[i] as H5Digest;
      for (const [name, d] of Object.entries(digest)) {
        expect(d.sha).toBe(sourceDigests[`/episode_00${i}.h5`]?.[name]?.sha);
        if (d.filters.length > 0) expect(d.filters).toEqual([GZIP]);
      }
    }
    for (const r of REPORTS) expect(files).toContain(`figures/dataset_figures/${r}`);
    // What the chain leaves is publishable: every pre-publish check passes.
    const preflight = await runPreflight(reference);
    expect(preflight.items.filter((item) => !item.ok)).toEqual([]);
    expect(preflight.ok).toBe(true);
    for (const i of [0, 1, 2])
      expect(files).toContain(`figures/episode_previews/motherboard/2026-05-31/episode_00${i}.gif`);

    const state = readFileSync(join(dateDir, ".rigwatch/stages.json"), "utf8");
    const reports = REPORTS.map((r) => readFileSync(join(reference, "figures/dataset_figures", r)));
    const again = runProcess(["--json", dateDir]);
    expect(again.status).toBe(0);
    const events = again.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(events.filter((e) => e.type === "progress" && e.state !== "queued").map((e) => e.state)).toEqual(
      // Per take check, analyse, compress, index, previews; settle, detect and metadata of the session.
      Array(3 * 5 + 3).fill("skipped"),
    );
    expect(readFileSync(join(dateDir, ".rigwatch/stages.json"), "utf8")).toBe(state);
    REPORTS.forEach((r, i) =>
      expect(readFileSync(join(reference, "figures/dataset_figures", r)).equals(reports[i] as Buffer)).toBe(
        true,
      ),
    );
  }, 200_000);

  it("resumes after kills at several points and ends where an uninterrupted run ends", async () => {
    const root = join(dir.path, "killed");
    copySession(join(dir.path, "source"), root);
    const dateDir = session(root);
    const points = [
      (e: Record<string, unknown>) => e.stage === "compress" && e.state === "running" && e.episode === 1,
      (e: Record<string, unknown>) => e.stage === "index" && e.state === "running" && e.episode === 1,
      (e: Record<string, unknown>) => e.stage === "detect" && e.state === "running",
    ];
    const killedAt: string[] = [];
    for (const point of points)
      killedAt.push(await killWhen([dateDir], point).catch((e: Error) => e.message));
    expect(killedAt).toEqual(["running compress 1", "running index 1", "running detect session"]);

    const last = runProcess([dateDir]);
    expect(last.status).toBe(0);
    // The first run already quarantined the truncated take: it is no longer an episode of the session.
    expect(last.stdout).toContain("3/3 episodes processed, reports done");
    // Same files as the uninterrupted run: no temp file left, no output missing.
    expect(listFiles(root).filter((f) => !f.endsWith("stages.json"))).toEqual(
      listFiles(reference).filter((f) => !f.endsWith("stages.json")),
    );
    const names = [0, 1, 2].map((i) => `episode_00${i}.h5`);
    const digests = h5Digests([
      ...names.map((n) => join(dateDir, n)),
      ...names.map((n) => join(session(reference), n)),
    ]);
    expect(digests.slice(0, 3)).toEqual(digests.slice(3));
    for (const i of [0, 1, 2]) {
      const name = `episode_00${i}`;
      const pt = `processed/contact/motherboard/2026-05-31/${name}.pt`;
      expect(readFileSync(join(root, pt)).equals(readFileSync(join(reference, pt)))).toBe(true);
    }
    for (const r of REPORTS)
      expect(readFileSync(join(root, "figures/dataset_figures", r), "utf8")).toBe(
        readFileSync(join(reference, "figures/dataset_figures", r), "utf8"),
      );
  }, 400_000);

  it("processes a take again when its file changed since, and only that take", () => {
    const dateDir = session(reference);
    const changed = join(dateDir, "episode_001.h5");
    utimesSync(changed, new Date(), new Date(Date.now() + 5000));
    const run = runProcess(["--json", dateDir]);
    expect(run.status).toBe(0);
    const ran = run.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l))
      .filter((e) => e.type === "progress" && e.state === "done")
      .map((e) => `${e.stage} ${e.episode ?? "session"}`);
    // Its evidence no longer stands for the file: the analysis pass reads it again. compress skips an
    // already-GZIP file (its result says so) but the stage runs again. The session's active sensors
    // are in tasks.json since the first run: nothing to settle. detect ran again, so every take's
    // previews are drawn again from its new reports.
    expect(ran).toEqual([
      "check 1",
      "analyse 1",
      "compress 1",
      "index 1",
      "detect session",
      "previews 0",
      "previews 1",
      "previews 2",
    ]);

    // A person's verdict on a freeze: the next process runs detect (and so the previews and the
    // session's note) again.
    const reports = join(reference, "figures/dataset_figures");
    const freeze = (
      JSON.parse(readFileSync(join(reports, "freeze_intervals.json"), "utf8")) as FreezeRecord[]
    )[0];
    expect(freeze).toBeDefined();
    const id = `${freeze?.episode}:freeze:${freeze?.side}:${freeze?.h5_a}-${freeze?.h5_b}`;
    const verdict = spawnSync(process.execPath, [CLI, "verdict", id, "keep", "--reports", reports], {
      encoding: "utf8",
    });
    expect(verdict.status).toBe(0);
    const after = runProcess(["--json", dateDir]);
    expect(after.status).toBe(0);
    expect(
      after.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l))
        .filter((e) => e.type === "progress" && e.state === "done")
        .map((e) => `${e.stage} ${e.episode ?? "session"}`),
    ).toEqual([
      "detect session",
      "previews 0",
      "previews 1",
      "previews 2",
      "metadata session", // the kept freeze no longer counts: the generated note says so
    ]);
    rmSync(join(dir.path, "killed"), { recursive: true, force: true });
  }, 200_000);
});
