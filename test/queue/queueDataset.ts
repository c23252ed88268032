/**
 * The queue tests' dataset and the local `process` run they compare against, made once and kept in
 * test/.generated/queue/ (as the recorder fixtures are): generated, processed locally, and the local
 * outputs' digests stored. Made again when the generator, this file, the flags (queueProcesses.ts)
 * or the built CLI (dist/, which made the local outputs) changes. Test files that run at once share one build (a lock folder).
 */
import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { generateEpisode } from "../../sim/episode/generate.js";
import { presetSession } from "../../sim/episode/presets.js";
import type { Scenario } from "../../sim/episode/scenario.js";
import { PROJECT_ROOT } from "../helpers/paths.js";
import { waitForAsync } from "../helpers/waitFor.js";
import { runProcess } from "../scheduler/helpers.js";
import { datasetOutputs, PREVIEW_FLAGS } from "./queueProcesses.js";
import { processAlive } from "../../sinks/processAlive.js";

const GENERATED = join(PROJECT_ROOT, "test/.generated/queue");
const LOCK = `${GENERATED}.lock`;

export interface QueueDataset {
  /** The dataset as the recorder left it: copy it (copyDataset) before running anything on it. */
  readonly root: string;
  /** Session folders under `root`, in the order `process` is given them. */
  readonly sessions: string[];
  /** The truncated take of the first session (check quarantines it), under `root`. */
  readonly corrupt: string;
  /** What local `process --jobs 2` over both sessions left: every output's digest (datasetOutputs). */
  readonly local: Record<string, string>;
}

export const SESSION_DATES = ["2026-05-31", "2026-06-01"] as const;
const TASK = "motherboard";

/** The session folders of a copy of the dataset at `root`. */
export const sessionsOf = (root: string): string[] => SESSION_DATES.map((d) => join(root, "data", TASK, d));

/**
 * Two sessions laid out as on the rig (short takes at the rig's 480×640, which the previews need),
 * recorded as BLOSC: 2026-05-31 with a clean take, one with every fault (freezes, spikes, teleports:
 * the reports and clips have something in them) and a truncated file; 2026-06-01 with one clean
 * take. Two sessions keep the sessions' order and the shared reports under test; more clean takes
 * added only time.
 */
async function generate(root: string): Promise<void> {
  const clean = presetSession("clean", { seed: 5, seconds: 2 });
  const faulty = presetSession("every-fault", { seed: 206, seconds: 4 });
  const later = presetSession("clean", { seed: 9, seconds: 2 });
  const [first, second] = sessionsOf(root) as [string, string];
  const takes: [string, Scenario][] = [
    [join(first, "episode_000.h5"), clean.episodes[0] as Scenario],
    [join(first, "episode_001.h5"), faulty.episodes[0] as Scenario],
    [
      join(second, "episode_000.h5"),
      { ...(later.episodes[0] as Scenario), createdAt: "2026-06-01T09:00:00" },
    ],
  ];
  for (const [path, scenario] of takes) await generateEpisode({ ...scenario, task: TASK }, path);
  const bytes = readFileSync(join(first, "episode_000.h5"));
  writeFileSync(join(first, "episode_009.h5"), bytes.subarray(0, Math.floor(bytes.length / 3)));
}

/** What the dataset and the local outputs are made from. */
function sourceKey(): string {
  const hash = createHash("sha256");
  const add = (dir: string) => {
    for (const name of (readdirSync(dir, { recursive: true }) as string[]).sort()) {
      const path = join(dir, name);
      if (/\.(js|json|wasm|so|ts)$/.test(name) && !name.endsWith(".map"))
        hash.update(name).update(readFileSync(path));
    }
  };
  add(join(PROJECT_ROOT, "sim/episode"));
  add(join(PROJECT_ROOT, "dist"));
  hash.update(readFileSync(new URL(import.meta.url)));
  hash.update(readFileSync(new URL("./queueProcesses.ts", import.meta.url))); // the previews' flags
  return hash.digest("hex");
}

async function build(into: string): Promise<void> {
  await generate(join(into, "source"));
  const local = join(into, "local");
  cpSync(join(into, "source"), local, { recursive: true });
  // The queue's previews (runProcess's own smaller ones come first; the last --set wins).
  const r = runProcess(["--jobs", "2", ...PREVIEW_FLAGS, ...sessionsOf(local)]);
  if (r.status !== 0) throw new Error(`local process exited ${r.status}: ${r.stderr}`);
  writeFileSync(join(into, "local.json"), `${JSON.stringify(datasetOutputs(local), null, 1)}\n`);
  rmSync(local, { recursive: true, force: true });
}

/** The shared dataset and its local outputs, made first if they are missing or stale. */
export async function ensureQueueDataset(): Promise<QueueDataset> {
  await takeLock();
  try {
    const key = sourceKey();
    const keyFile = join(GENERATED, "key");
    if (!existsSync(keyFile) || readFileSync(keyFile, "utf8") !== key) {
      const staging = `${GENERATED}.${process.pid}.partial`;
      rmSync(staging, { recursive: true, force: true });
      mkdirSync(staging, { recursive: true });
      try {
        await build(staging);
        writeFileSync(join(staging, "key"), key);
        rmSync(GENERATED, { recursive: true, force: true });
        renameSync(staging, GENERATED);
      } finally {
        rmSync(staging, { recursive: true, force: true });
      }
    }
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
  const root = join(GENERATED, "source");
  return {
    root,
    sessions: sessionsOf(root),
    corrupt: join(sessionsOf(root)[0] as string, "episode_009.h5"),
    local: JSON.parse(readFileSync(join(GENERATED, "local.json"), "utf8")) as Record<string, string>,
  };
}

/** A fresh copy of the dataset at `to` (the shared one is never written to). */
export function copyDataset(dataset: QueueDataset, to: string): string {
  cpSync(dataset.root, to, { recursive: true });
  return to;
}

/** One test file at a time builds (a folder made atomically); a holder that died leaves it to the next. */
async function takeLock(): Promise<void> {
  mkdirSync(join(PROJECT_ROOT, "test/.generated"), { recursive: true });
  await waitForAsync(
    () => {
      try {
        mkdirSync(LOCK);
        writeFileSync(join(LOCK, "pid"), String(process.pid));
        return Promise.resolve(true);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        const holder = Number(readIfThere(join(LOCK, "pid")));
        if (holder > 0 && !processAlive(holder)) rmSync(LOCK, { recursive: true, force: true });
        return Promise.resolve(false);
      }
    },
    "the queue dataset's lock",
    600_000,
  );
}

function readIfThere(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}
