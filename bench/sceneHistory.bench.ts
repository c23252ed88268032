/**
 * What the held-pose evidence costs the live path per camera tick (issue 15): `SceneHistory.push` on
 * a tick of 3 camera and 2 GelSight thumbnails (128×128×3, a new frame in every stream) — hashes only
 * while no body's pose repeats (almost always), with the thumbnails' motion while one does — against what
 * the live path already spent per tick before it, the spike detector's contact metrics of the two
 * GelSights (the reference, in the same process). Also one judgement of a standing hold (the
 * activity queries a camera tick triggers). Medians of 7 rounds.
 *
 *   node --import tsx bench/sceneHistory.bench.ts
 */
import { cpus } from "node:os";
import { contactMetrics, THUMB_BYTES } from "../detectors/image/index.js";
import { heldSceneEvidence } from "../detectors/live/heldPoseVerdict.js";
import { SceneHistory } from "../detectors/live/SceneHistory.js";
import type { TickSample } from "../detectors/samples.js";

const STREAMS = ["cam0", "cam1", "cam2", "gel_left", "gel_right"] as const;
let x = 1;
const noise = () => {
  const out = new Uint8Array(THUMB_BYTES);
  for (let i = 0; i < out.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
};
// Two frames per stream, alternated: every tick is new content, a full mean absolute difference.
const frames = STREAMS.map(() => [noise(), noise()] as const);
const reference = noise();
const tick = (k: number): TickSample => ({
  frame: k,
  t: k / 30,
  streams: Object.fromEntries(
    STREAMS.map((name, s) => [
      name,
      { hash: `${name}:${k}`, thumb: (frames[s] as readonly Uint8Array[])[k % 2] },
    ]),
  ),
});
const ticks = Array.from({ length: 300 }, (_, k) => tick(k));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;

function msPerTick(run: (t: TickSample) => void): number {
  const rounds: number[] = [];
  for (let r = 0; r < 7; r++) {
    const t0 = performance.now();
    for (const t of ticks) run(t);
    rounds.push((performance.now() - t0) / ticks.length);
  }
  return median(rounds);
}

const idle = new SceneHistory({ keepS: 7 });
const hashesOnly = msPerTick((t) => idle.push(t, { motion: false }));
const history = new SceneHistory({ keepS: 7 });
const push = msPerTick((t) => history.push(t));
const metrics = msPerTick((t) => {
  contactMetrics(t.streams.gel_left?.thumb as Uint8Array, reference, 8);
  contactMetrics(t.streams.gel_right?.thumb as Uint8Array, reference, 8);
});
// A hold of 5 s (the longest a warning stands by default), judged once per tick.
const judge = msPerTick((t) => heldSceneEvidence(history, "left", { start: t.t - 5, now: t.t }, 1));

console.log(`machine: ${cpus()[0]?.model} × ${cpus().length}, node ${process.version}`);
console.log("per 30 Hz tick                                          ms      % of a core at 30 Hz");
const row = (label: string, ms: number) =>
  console.log(
    `${label.padEnd(56)}${ms.toFixed(4).padStart(7)}   ${((ms * 30) / 10).toFixed(2).padStart(6)} %`,
  );
row("SceneHistory.push, no pose repeating (hashes only)", hashesOnly);
row("SceneHistory.push, a pose repeating (hashes + motion)", push);
row("reference: contact metrics of both GelSights", metrics);
row("judging a 5 s hold (every camera, last second + hold)", judge);
console.log(`push / reference: ${(push / metrics).toFixed(2)}×`);
