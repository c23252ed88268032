import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** test/previews/reference.py under Debian's Python (NumPy, h5py, Pillow): independent of rigwatch. */
const SCRIPT = fileURLToPath(new URL("./reference.py", import.meta.url));

function run(args: readonly string[], input?: string): string {
  return execFileSync("/usr/bin/python3", [SCRIPT, ...args], {
    encoding: "utf8",
    input,
    maxBuffer: 64 * 1024 * 1024,
  });
}

export interface PoseCase {
  readonly pose: readonly number[];
  readonly side: "left" | "right";
}

/** NumPy's pixel of each case's gel centre, per camera serial (null: behind the camera). */
export function numpyProjection(
  calibrationDir: string,
  cases: readonly PoseCase[],
): Record<string, ([number, number] | null)[]> {
  return JSON.parse(run(["project", calibrationDir], JSON.stringify(cases)));
}

export interface SolidEpisode {
  readonly frames: number;
  readonly fps: number;
  readonly task?: string;
  /** Bytes as stored: BGR for cameras, RGB for the gels. */
  readonly colour: Readonly<
    Record<"cam0" | "cam1" | "cam2" | "gel_left" | "gel_right", readonly [number, number, number]>
  >;
  /** A constant pose per body (x, y, z m; qx, qy, qz, qw). */
  readonly poses: Readonly<Record<string, readonly number[]>>;
}

/** An episode of solid-colour frames in the recorder's layout, written by h5py (GZIP). */
export function writeSolidEpisode(path: string, spec: SolidEpisode, dir: string): void {
  const specPath = join(dir, "episode-spec.json");
  writeFileSync(specPath, JSON.stringify(spec));
  run(["episode", path, specPath]);
}

export interface DecodedGif {
  readonly frames: number;
  readonly size: [number, number];
  readonly durations: number[];
  readonly colours: number[];
  /** Per frame, the RGB of each requested point. */
  readonly at: [number, number, number][][];
}

/** The GIF as Pillow decodes it. */
export function pillowGif(path: string, points: readonly (readonly [number, number])[] = []): DecodedGif {
  return JSON.parse(run(["gif", path, ...points.map(([x, y]) => `${x},${y}`)]));
}
