import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { CORPUS, type ContentCase, ensureBadInputCorpus } from "../tools/badInputCorpus.js";
import {
  type CaseLayout,
  type CliRun,
  type CorpusDataset,
  type Entry,
  FS_SOURCES,
  type FsCase,
  jsonLines,
  layOutCorpus,
  runCli,
  snapshot,
} from "./corpusDataset.js";
import { DETECT_WARNINGS, VERDICTS, type Verdicts } from "./verdicts.js";

/**
 * Every command on every case of the bad-input corpus (test/tools/write_bad_corpus.py and the file-system
 * cases of corpusDataset.ts), each command on a fresh copy of the whole corpus laid out as one dataset,
 * run as an unprivileged user. For every case: the verdict of verdicts.ts, and whatever the command did,
 * no stack trace, the episode's bytes kept unless quarantined (same bytes, renamed) or replaced by
 * compress's verified copy (every dataset equal as h5py reads it), nothing beside the dataset touched,
 * no temporary file left behind.
 */

const EPISODE = "episode_000.h5";
const SAME_CONTENT = fileURLToPath(new URL("./sameContent.py", import.meta.url));
const TEMP_FILE = /(^|\/)\.[^/]*\.(\d+\.tmp|compress-tmp)$|\.partial$/;
/** Small previews: the corpus is about bad input, not GIF quality. */
const PREVIEW_FLAGS = ["--set", "previews.frames=3"];

let contentCases: ContentCase[];
beforeAll(async () => {
  contentCases = await ensureBadInputCorpus();
}, 300_000);

/** The case a JSON line of a run speaks for: by path (`…/data/<case>/…`) or key (`<date>/episode_000`). */
function caseOf(dataset: CorpusDataset, line: Record<string, unknown>): CaseLayout {
  const path = String(line.path ?? line.session ?? "");
  const byPath = dataset.cases.find(
    (c) => path === c.episode || path === c.sessionDir || path.startsWith(`${c.sessionDir}/`),
  );
  const key = String(line.key ?? "");
  const found = byPath ?? dataset.cases.find((c) => key === `${c.date}/episode_000`);
  if (!found) throw new Error(`no case for ${JSON.stringify(line)}`);
  return found;
}

/** `truncated` from "…/episode_000.h5 [ds]: truncated: detail" (an EpisodeError's message). */
function codeIn(message: string): string {
  const m = /\.h5(?: \[[^\]]*\])?: ([a-z ]+?): /.exec(message);
  return m ? (m[1] as string).replaceAll(" ", "_") : `unparsed(${message.slice(0, 80)})`;
}

interface Observed {
  readonly dataset: CorpusDataset;
  readonly before: Map<string, Entry>;
  readonly outsideBefore: Map<string, Entry>;
  readonly runs: CliRun[];
}

/** Lays the corpus out, runs the command, and checks what must hold whatever the command. */
async function observe(run: (dataset: CorpusDataset) => Promise<CliRun[]>): Promise<Observed> {
  const dataset = layOutCorpus(contentCases);
  const before = snapshot(dataset.root);
  const outsideBefore = snapshot(dataset.outside);
  const runs = await run(dataset);
  return { dataset, before, outsideBefore, runs };
}

/**
 * What became of each case's episode. A file whose bytes changed is compared with its original by h5py,
 * all of them in one Python (sameContent.py takes pairs): its start-up was most of a comparison.
 */
function fatesOf(o: Observed, after: Map<string, Entry>): Map<string, string> {
  const fates = new Map<string, string>();
  const changed: { name: string; original: string; now: string }[] = [];
  for (const c of o.dataset.cases) {
    const name = join("data", c.task, c.date, EPISODE);
    const was = o.before.get(name) as Entry;
    const now = after.get(name);
    const corrupt = after.get(`${name}.corrupt`);
    if (now && JSON.stringify(now) === JSON.stringify(was)) fates.set(c.name, "kept");
    else if (!now && corrupt?.sha256 === was.sha256 && was.sha256 !== undefined)
      fates.set(c.name, "quarantined");
    else if (now?.kind === "file" && was.kind === "file")
      changed.push({
        name: c.name,
        original: join(CORPUS, `${FS_SOURCES[c.name as FsCase] ?? c.name}.h5`),
        now: c.episode,
      });
    else fates.set(c.name, `lost(${JSON.stringify(now)})`);
  }
  if (changed.length > 0) {
    const compared = execFileSync(
      "/usr/bin/python3",
      [SAME_CONTENT, ...changed.flatMap((c) => [c.original, c.now])],
      {
        encoding: "utf8",
      },
    )
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { differ: string[] });
    expect(compared.length, "one comparison a changed file").toBe(changed.length);
    changed.forEach((c, i) => {
      const { differ } = compared[i] as { differ: string[] };
      fates.set(c.name, differ.length === 0 ? "replaced" : `altered(${differ.join(",")})`);
    });
  }
  return fates;
}

/** The invariants of every run; returns the episode's fate per case. */
function checkInvariants(o: Observed): Map<string, string> {
  for (const run of o.runs)
    expect(run.stderr, "a stack trace on stderr").not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(snapshot(o.dataset.outside), "the folder beside the dataset").toEqual(o.outsideBefore);
  expect(readdirSync(o.dataset.base).sort()).toEqual(["dataset", "outside"]);
  const after = snapshot(o.dataset.root);
  expect(
    [...after.keys()].filter((p) => TEMP_FILE.test(p)),
    "temporary files left",
  ).toEqual([]);
  const fates = fatesOf(o, after);
  // A folder rigwatch may not write gets nothing new in it.
  for (const name of ["readonly-session", "readonly-corrupt", "unreadable-folder"]) {
    const c = o.dataset.cases.find((x) => x.name === name) as CaseLayout;
    const prefix = join("data", c.task, c.date);
    const inside = (m: Map<string, Entry>) => [...m.keys()].filter((p) => p.startsWith(`${prefix}/`)).sort();
    expect(inside(after), `${name}: nothing created`).toEqual(inside(o.before));
  }
  return fates;
}

function expectVerdicts(o: Observed, column: keyof Verdicts, observed: Map<string, string>): void {
  const expected = Object.fromEntries(
    o.dataset.cases.map((c) => [c.name, (VERDICTS[c.name] as Verdicts)[column]]),
  );
  expect(
    Object.fromEntries(o.dataset.cases.map((c) => [c.name, observed.get(c.name) ?? "no output"])),
  ).toEqual(expected);
}

/** One observation per case from a dataset command's JSON lines (`skipped` lines included). */
function linesByCase(
  o: Observed,
  run: CliRun,
  describe: (line: Record<string, unknown>) => string | undefined,
): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of jsonLines(run)) {
    const text = line.type === "skipped" ? `skipped:${String(line.reason)}` : describe(line);
    if (text !== undefined) out.set(caseOf(o.dataset, line).name, text);
  }
  return out;
}

describe("the bad-input corpus: every command on every case", () => {
  const cleanups: (() => void)[] = [];
  afterAll(() => {
    for (const cleanup of cleanups) cleanup();
  });
  const run = async (command: (d: CorpusDataset) => Promise<CliRun[]>) => {
    const o = await observe(command);
    cleanups.push(() => o.dataset.cleanup());
    return o;
  };
  const data = (d: CorpusDataset) => join(d.root, "data");

  it.each([
    ["check", "check", []],
    ["deepCheck", "check", ["--deep"]],
  ] as const)(
    "%s",
    async (column, _command, flags) => {
      const o = await run(async (d) => [await runCli(["check", data(d), ...flags, "--json"])]);
      expect((o.runs[0] as CliRun).status).toBe(1);
      const fates = checkInvariants(o);
      const seen = linesByCase(o, o.runs[0] as CliRun, (l) =>
        l.type === "integrity" ? `${String(l.status)}${l.code ? `:${String(l.code)}` : ""}` : undefined,
      );
      expectVerdicts(o, column, new Map([...seen].map(([k, v]) => [k, `${v} ${fates.get(k)}`])));
    },
    240_000,
  );

  it("compress", async () => {
    const o = await run(async (d) => [
      await runCli(["compress", data(d), "--jobs", "2", "--json"], { timeoutMs: 400_000 }),
    ]);
    expect((o.runs[0] as CliRun).status).toBe(1);
    const fates = checkInvariants(o);
    const seen = linesByCase(o, o.runs[0] as CliRun, (l) =>
      l.type === "compress" ? `${String(l.status)}${l.code ? `:${String(l.code)}` : ""}` : undefined,
    );
    expectVerdicts(o, "compress", new Map([...seen].map(([k, v]) => [k, `${v} ${fates.get(k)}`])));
  }, 420_000);

  it.each(["index", "detect", "previews"] as const)(
    "%s",
    async (command) => {
      const flags = command === "previews" ? [...PREVIEW_FLAGS, "--no-clips"] : [];
      const o = await run(async (d) => [
        await runCli([command, data(d), ...flags, "--json"], { timeoutMs: 400_000 }),
      ]);
      expect((o.runs[0] as CliRun).status).toBe(1);
      const fates = checkInvariants(o);
      expect(
        [...fates].filter(([, f]) => f !== "kept"),
        "files only read",
      ).toEqual([]);
      const seen = linesByCase(o, o.runs[0] as CliRun, (l) =>
        ["index", "episode", "preview"].includes(String(l.type))
          ? l.status === "ok"
            ? "ok"
            : `error:${String(l.code)}`
          : undefined,
      );
      expectVerdicts(o, command, seen);
      if (command === "detect")
        for (const line of jsonLines(o.runs[0] as CliRun).filter(
          (l) => l.type === "episode" && l.status === "ok",
        )) {
          const name = caseOf(o.dataset, line).name;
          expect({ name, warnings: line.warnings }).toEqual({ name, warnings: DETECT_WARNINGS[name] ?? [] });
        }
    },
    420_000,
  );

  it("metadata, after detect wrote the dataset's reports", async () => {
    const o = await run(async (d) => {
      const detect = await runCli(["detect", data(d), "--json"], { timeoutMs: 400_000 });
      const sessions = d.cases.map((c) => c.sessionDir);
      return [detect, await runCli(["metadata", ...sessions, "--json"])];
    });
    const fates = checkInvariants(o);
    expect(
      [...fates].filter(([, f]) => f !== "kept"),
      "files only read",
    ).toEqual([]);
    const metadata = o.runs[1] as CliRun;
    expect([metadata.status, metadata.stderr]).toEqual([1, ""]); // the folder it may not list
    const seen = linesByCase(o, metadata, (l) => (l.type === "metadata" ? String(l.status) : undefined));
    expectVerdicts(o, "metadata", seen);
  }, 420_000);

  it("replay, each case on its own", async () => {
    const o = await run(async (d) => {
      const runs: CliRun[] = [];
      // Two at a time: replay takes one file.
      for (let i = 0; i < d.cases.length; i += 2)
        runs.push(
          ...(await Promise.all(
            d.cases
              .slice(i, i + 2)
              .map((c) => runCli(["replay", c.episode, "--json"], { timeoutMs: 120_000 })),
          )),
        );
      return runs;
    });
    const fates = checkInvariants(o);
    expect(
      [...fates].filter(([, f]) => f !== "kept"),
      "files only read",
    ).toEqual([]);
    const seen = new Map(
      o.dataset.cases.map((c, i) => {
        const r = o.runs[i] as CliRun;
        return [c.name, r.status === 0 ? "exit 0" : `exit ${r.status} ${codeIn(r.stderr)}`];
      }),
    );
    expectVerdicts(o, "replay", seen);
  }, 600_000);

  it("process", async () => {
    const o = await run(async (d) => [
      await runCli(["process", ...d.cases.map((c) => c.sessionDir), ...PREVIEW_FLAGS, "--json"], {
        timeoutMs: 600_000,
      }),
    ]);
    const processRun = o.runs[0] as CliRun;
    expect(processRun.status).toBe(1);
    const fates = checkInvariants(o);
    const lines = jsonLines(processRun);
    const lastError = new Map<string, string>();
    for (const l of lines)
      if (l.type === "progress" && l.state === "failed" && l.episode !== "session")
        lastError.set(caseOf(o.dataset, l).name, String(l.error));
    const seen = linesByCase(o, processRun, (l) => {
      if (l.type !== "session") return undefined;
      if (l.status === "failed") return "session-failed";
      const name = caseOf(o.dataset, l).name;
      const code = () => codeIn(lastError.get(name) ?? "");
      if ((l.quarantined as unknown[]).length > 0) return `quarantined:${code()}`;
      if ((l.busy as unknown[]).length > 0) return `busy:${code()}`;
      if ((l.failed as unknown[]).length > 0) return `failed:${code()}`;
      return l.done === 1 ? "done" : `unexpected(${JSON.stringify(l)})`;
    });
    expectVerdicts(o, "process", new Map([...seen].map(([k, v]) => [k, `${v} ${fates.get(k)}`])));
  }, 660_000);
});
