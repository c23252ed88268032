import { mkdirSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname } from "node:path";
import { CameraRenderer, type Marker } from "./cameras.js";
import { EpisodeWriter } from "./episodeWriter.js";
import { GelRenderer } from "./gel.js";
import { BODIES, CAMERAS, SIDES, type Side, sensorBody } from "./layout.js";
import { type EpisodePlan, planEpisode } from "./plan.js";
import { RealisticNoise } from "./sensorNoise.js";
import type { Scenario } from "./scenario.js";
import { formatTruth, type Truth } from "./truth.js";

export interface GenerateResult {
  readonly h5Path: string;
  readonly truthPath: string;
  readonly truth: Truth;
  /** Wall-clock seconds spent generating and writing. */
  readonly seconds: number;
  readonly bytes: number;
}

/** `…/episode_007.h5` → `…/episode_007.truth.json`, the fixture's naming. */
export const truthPathFor = (h5Path: string) => h5Path.replace(/\.h5$/, ".truth.json");

/** BGR colours of the two sensor squares (the fixture's). */
const MARKER_BGR: Record<Side, [number, number, number]> = { left: [40, 200, 60], right: [200, 120, 20] };

/**
 * Generates one episode: plans it, then renders and writes it one camera tick at a time (one frame per
 * stream in memory), then writes the truth beside it. Same scenario → byte-identical files.
 */
export async function generateEpisode(scenario: Scenario, h5Path: string): Promise<GenerateResult> {
  const started = performance.now();
  const plan = planEpisode(scenario);
  const s = plan.scenario;
  mkdirSync(dirname(h5Path), { recursive: true });
  const writer = await EpisodeWriter.create(h5Path, {
    task: s.task,
    fps: s.fps,
    createdAt: s.createdAt,
    ticks: s.ticks,
    height: s.height,
    width: s.width,
    compression: s.compression,
  });
  try {
    writer.writeTimestamps(plan.ts);
    for (const body of BODIES) writer.writeOt(body, plan.ot.streams[body].times, plan.ot.streams[body].poses);
    writeImages(plan, writer);
    writer.commit();
  } catch (error) {
    writer.abort();
    throw error;
  }
  const truth = plan.truth(basename(h5Path));
  const truthPath = truthPathFor(h5Path);
  writeFileSync(truthPath, formatTruth(truth));
  return {
    h5Path,
    truthPath,
    truth,
    seconds: (performance.now() - started) / 1000,
    bytes: statSync(h5Path).size,
  };
}

function writeImages(plan: EpisodePlan, writer: EpisodeWriter): void {
  const s = plan.scenario;
  const { height: h, width: w } = s;
  const dense = s.noise === "realistic" ? new RealisticNoise(s.seed) : undefined;
  const cameras = CAMERAS.map(
    (cam) =>
      new CameraRenderer({ seed: s.seed, cam, height: h, width: w, ...(dense ? { noise: dense } : {}) }),
  );
  const color = CAMERAS.map(() => new Uint8Array(h * w * 3));
  const depth = CAMERAS.map(() => new Uint16Array(h * w));
  const gels = {} as Record<Side, GelRenderer>;
  for (const side of SIDES) {
    const flicker = new Set<number>();
    let drift: { from: number; brighten: number } | undefined;
    for (const f of s.faults) {
      if (f.type === "led_flicker" && f.side === side)
        for (let i = 0; i < (f.count ?? 1); i++) flicker.add(f.start + i);
      if (f.type === "gel_drift" && f.side === side) drift = { from: f.from, brighten: f.brighten ?? 12 };
    }
    gels[side] = new GelRenderer({
      side,
      height: h,
      width: w,
      ts: plan.ts,
      clock: plan.gelClocks[side],
      schedule: plan.contacts[side],
      tau: (t) => plan.motion.tau(sensorBody(side), t),
      flicker,
      ...(drift ? { drift } : {}),
      ...(dense ? { noise: { seed: s.seed, dense } } : {}),
    });
  }
  const stalled = new Uint8Array(s.ticks);
  for (const f of s.faults) if (f.type === "pipeline_stall") stalled.fill(1, f.start, f.end + 1);
  const positions = SIDES.map(() => new Float64Array(7));
  const markers: Marker[] = SIDES.map((side, i) => ({
    position: positions[i] as Float64Array,
    bgr: MARKER_BGR[side],
  }));

  for (let k = 0; k < s.ticks; k++) {
    // A stalled pipeline hands the writer its previous frames again: leave the buffers as they are.
    if (!stalled[k]) {
      SIDES.forEach((side, i) => {
        plan.motion.pose(sensorBody(side), plan.ts[k] as number, positions[i] as Float64Array);
      });
      cameras.forEach((cam, c) => {
        cam.render(k, markers, color[c] as Uint8Array, depth[c] as Uint16Array);
      });
    }
    writer.writeTick(k, { color, depth, gel: { left: gels.left.render(k), right: gels.right.render(k) } });
  }
}
