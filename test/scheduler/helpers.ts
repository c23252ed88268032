import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, cpSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generateEpisode } from "../../sim/episode/generate.js";
import { presetSession } from "../../sim/episode/presets.js";
import type { Scenario } from "../../sim/episode/scenario.js";
import { PROJECT_ROOT } from "../helpers/paths.js";
import { python } from "../helpers/python.js";

export const CLI = join(PROJECT_ROOT, "dist/cli/cli.js");

/**
 * A small session laid out as a dataset: two 1 s clean takes and a 3 s take whose left sensor freezes
 * for 1.5 s (BLOSC, as recorded, at the rig's 640×480: the previews need it), and one truncated file.
 * The takes are as short as the chain's cases allow: every stage still runs on every take, and the
 * freeze gives detect a finding for a person's verdict.
 */
export async function makeSession(
  root: string,
): Promise<{ dateDir: string; episodes: string[]; corrupt: string }> {
  const clean = presetSession("clean", { seed: 5, seconds: 1 });
  const freezing: Scenario = {
    seed: 206,
    ticks: 90,
    createdAt: "2026-05-31T05:46:00",
    faults: [{ type: "held", body: "sensor_left", start: 30, end: 75 }],
  };
  const dateDir = join(root, "data", clean.task, clean.date);
  const scenarios = [...clean.episodes, freezing];
  const episodes: string[] = [];
  for (const [i, scenario] of scenarios.entries()) {
    const path = join(dateDir, `episode_00${i}.h5`);
    await generateEpisode({ ...scenario, task: clean.task }, path);
    episodes.push(path);
  }
  const corrupt = join(dateDir, "episode_009.h5");
  const bytes = readFileSync(episodes[0] as string);
  writeFileSync(corrupt, bytes.subarray(0, Math.floor(bytes.length / 3)));
  return { dateDir, episodes, corrupt };
}

export function copySession(from: string, to: string): void {
  cpSync(from, to, { recursive: true });
}

/**
 * Previews drawn with 12 frames instead of 60: these tests are about the chain (resume, skip, redo),
 * and the previews' own tests check full GIFs.
 */
const SMALL_PREVIEWS = ["--set", "previews.frames=12", "--set", "previews.clips.frames=12"];

export function runProcess(args: readonly string[]): {
  status: number | null;
  stdout: string;
  stderr: string;
} {
  const r = spawnSync(process.execPath, [CLI, "process", ...SMALL_PREVIEWS, ...args], { encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs `rigwatch process --json` and SIGKILLs it when a progress line matches. */
export function killWhen(
  args: readonly string[],
  match: (event: Record<string, unknown>) => boolean,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, "process", "--json", ...SMALL_PREVIEWS, ...args]);
    let buffered = "";
    let killedAt = "";
    child.stdout.on("data", (chunk: Buffer) => {
      buffered += String(chunk);
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) {
        const event = JSON.parse(line) as Record<string, unknown>;
        if (!killedAt && match(event)) {
          killedAt = `${String(event.state)} ${String(event.stage)} ${String(event.episode ?? "session")}`;
          child.kill("SIGKILL");
        }
      }
    });
    child.once("exit", (code, signal) => {
      if (signal === "SIGKILL") resolve(killedAt);
      else reject(new Error(`process ended (${code}) before the kill point`));
    });
  });
}

/** Every file under `dir`, relative, sorted. */
export function listFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import("node:fs").Dirent[])
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name).slice(dir.length + 1))
    .sort();
}

export type H5Digest = Record<string, { filters: number[]; sha: string }>;

/** Per dataset: filter ids and a SHA-256 of its values, read by h5py with no plugins loaded. */
export function h5Digest(path: string): H5Digest {
  return h5Digests([path])[0] as H5Digest;
}

/** {@link h5Digest} of several files in one Python: its start-up (h5py, NumPy) is most of a digest's time. */
export function h5Digests(paths: readonly string[]): H5Digest[] {
  return JSON.parse(
    python(
      `import h5py, hashlib, json, sys
def digest(path):
    out = {}
    def visit(name, obj):
        if isinstance(obj, h5py.Dataset):
            plist = obj.id.get_create_plist()
            out[name] = {"filters": [plist.get_filter(i)[0] for i in range(plist.get_nfilters())],
                         "sha": hashlib.sha256(obj[()].tobytes()).hexdigest()}
    with h5py.File(path, "r") as f:
        f.visititems(visit)
    return out
print(json.dumps([digest(p) for p in sys.argv[1:]]))`,
      paths,
    ),
  ) as H5Digest[];
}

export function copyFile(from: string, to: string): void {
  copyFileSync(from, to);
}
