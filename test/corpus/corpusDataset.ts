import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  copyFileSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  lchownSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { CORPUS, type ContentCase } from "../tools/badInputCorpus.js";
import { CLI } from "../helpers/paths.js";

/** Cases about the file system around a file rather than its content; made when the dataset is laid out. */
export const FS_CASES = [
  { name: "unreadable-file", what: "a clean take its reader may not read (mode 000)" },
  { name: "readonly-session", what: "a clean take in a session folder rigwatch may not write (mode 555)" },
  { name: "readonly-corrupt", what: "a truncated take in a session folder rigwatch may not write" },
  { name: "unreadable-folder", what: "a clean take in a session folder rigwatch may not list (mode 000)" },
  { name: "symlinked-episode", what: "episode_000.h5 is a link to a clean take outside the dataset" },
  { name: "folder-named-episode", what: "a folder named episode_000.h5" },
] as const;
export type FsCase = (typeof FS_CASES)[number]["name"];

/** The corpus file each file-system case holds (none for the link and the folder). */
export const FS_SOURCES: Readonly<Partial<Record<FsCase, string>>> = {
  "unreadable-file": "clean-blosc",
  "readonly-session": "clean-blosc",
  "readonly-corrupt": "truncated-half",
  "unreadable-folder": "clean-blosc",
};

/** The user the commands run as: never root, so permissions mean what they say (root ignores them). */
export const RUN_AS = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;

export interface CaseLayout {
  readonly name: string;
  readonly what: string;
  /** `<root>/data/<case>/<date>`. */
  readonly sessionDir: string;
  readonly episode: string;
  readonly task: string;
  readonly date: string;
}

export interface CorpusDataset {
  /** Holds the dataset and the folder beside it. */
  readonly base: string;
  /** The dataset root (`data/`, `figures/`, `processed/`, `tasks.json`). */
  readonly root: string;
  /** A folder beside the dataset that no command may touch (the link's target lives there). */
  readonly outside: string;
  readonly cases: readonly CaseLayout[];
  cleanup(): void;
}

/** One session per case, each under its own task and date, so one run of a command sees them all. */
export function layOutCorpus(contentCases: readonly ContentCase[]): CorpusDataset {
  const base = mkdtempSync(join(tmpdir(), "rigwatch-corpus-"));
  const root = join(base, "dataset");
  const outside = join(base, "outside");
  mkdirSync(outside, { recursive: true });
  copyFileSync(join(CORPUS, "clean-blosc.h5"), join(outside, "linked-target.h5"));
  writeFileSync(join(outside, "notes.txt"), "the operator's notes\n");
  const all = [...contentCases, ...FS_CASES];
  const cases = all.map((c, i): CaseLayout => {
    const date = new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10);
    const sessionDir = join(root, "data", c.name, date);
    mkdirSync(sessionDir, { recursive: true });
    return {
      name: c.name,
      what: c.what,
      sessionDir,
      episode: join(sessionDir, "episode_000.h5"),
      task: c.name,
      date,
    };
  });
  const byName = new Map(cases.map((c) => [c.name, c]));
  for (const c of contentCases)
    copyFileSync(join(CORPUS, `${c.name}.h5`), (byName.get(c.name) as CaseLayout).episode);
  const fs = (name: FsCase) => byName.get(name) as CaseLayout;
  for (const [name, source] of Object.entries(FS_SOURCES))
    copyFileSync(join(CORPUS, `${source}.h5`), fs(name as FsCase).episode);
  symlinkSync(join(outside, "linked-target.h5"), fs("symlinked-episode").episode);
  mkdirSync(fs("folder-named-episode").episode);
  writeFileSync(join(fs("folder-named-episode").episode, "inside.txt"), "a folder's content\n");

  if (RUN_AS) chownTree(base, RUN_AS.uid, RUN_AS.gid);
  chmodSync(base, 0o755);
  chmodSync(fs("unreadable-file").episode, 0o000);
  chmodSync(fs("readonly-session").sessionDir, 0o555);
  chmodSync(fs("readonly-corrupt").sessionDir, 0o555);
  chmodSync(fs("unreadable-folder").sessionDir, 0o000);
  return {
    base,
    root,
    outside,
    cases,
    cleanup() {
      for (const c of cases) chmodSync(c.sessionDir, 0o755);
      rmSync(base, { recursive: true, force: true });
    },
  };
}

function chownTree(path: string, uid: number, gid: number): void {
  lchownSync(path, uid, gid); // a link itself, never its target
  if (!lstatSync(path).isDirectory()) return;
  for (const name of readdirSync(path)) chownTree(join(path, name), uid, gid);
}

/** What is at a path: a file's bytes (hash), a link's target, a folder; with its mode. */
export interface Entry {
  readonly kind: "file" | "link" | "folder";
  readonly mode: number;
  readonly sha256?: string;
  readonly target?: string;
}

/** Every entry under `dir` by path relative to it (read as root: the test sees everything). */
export function snapshot(dir: string): Map<string, Entry> {
  const out = new Map<string, Entry>();
  const walk = (path: string) => {
    const stat = lstatSync(path);
    const mode = stat.mode & 0o7777;
    const key = relative(dir, path) || ".";
    if (stat.isSymbolicLink()) out.set(key, { kind: "link", mode, target: readlinkSync(path) });
    else if (stat.isDirectory()) {
      out.set(key, { kind: "folder", mode });
      const restore = (mode & 0o500) !== 0o500;
      if (restore) chmodSync(path, mode | 0o500);
      try {
        for (const name of readdirSync(path)) walk(join(path, name));
      } finally {
        if (restore) chmodSync(path, mode);
      }
    } else {
      const restore = (mode & 0o400) === 0;
      if (restore) chmodSync(path, mode | 0o400);
      try {
        out.set(key, {
          kind: "file",
          mode,
          sha256: createHash("sha256").update(readFileSync(path)).digest("hex"),
        });
      } finally {
        if (restore) chmodSync(path, mode);
      }
    }
  };
  walk(dir);
  return out;
}

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI, as RUN_AS unless `asTestUser` (when the tests run as root), with a deadline. */
export function runCli(
  args: readonly string[],
  options: { timeoutMs?: number; asTestUser?: boolean } = {},
): Promise<CliRun> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      ...(options.asTestUser ? {} : (RUN_AS ?? {})),
      env: { ...process.env, HOME: tmpdir() },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`rigwatch ${args.join(" ")} did not finish in ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on("error", reject);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** The JSON lines of a run's stdout. */
export const jsonLines = (run: CliRun): Record<string, unknown>[] =>
  run.stdout
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
