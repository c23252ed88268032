/**
 * Detection accuracy over generated sessions (issue 2: per failure mode, event recall and precision).
 * Each seed writes the every-fault session (4 takes covering every fault and hard negative of the spec)
 * and runs the offline detector; events are matched by overlap against the truth's published lists.
 *
 *   node --import tsx bench/accuracy.bench.ts [--seeds 1-8]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { defaultConfig } from "../config/index.js";
import type { Interval } from "../detectors/intervals.js";
import { generateEpisode } from "../hw/sim/generate.js";
import { presetSession } from "../hw/sim/presets.js";
import type { PublishedList } from "../sinks/reports/index.js";
import { analyseEpisode } from "../stages/detect/analyseEpisode.js";
import { expectedLists, readTruth } from "../test/helpers/truth.js";

const { values } = parseArgs({ options: { seeds: { type: "string", default: "1-8" } } });
const [first, last] = (values.seeds as string).split("-").map(Number) as [number, number];
const MODES: Record<string, PublishedList[]> = {
  gelsight_led_flicker: ["intensity_spikes"],
  pose_teleport: ["pose_teleports_L", "pose_teleports_R"],
  ot_loss: ["ot_loss_L", "ot_loss_R"],
  pipeline_stall: ["pipeline_stall"],
};
const overlaps = (a: Interval, b: Interval) => a[0] <= b[1] && b[0] <= a[1];
const tally = Object.fromEntries(
  Object.keys(MODES).map((m) => [m, { truth: 0, found: 0, detected: 0, correct: 0 }]),
);

const work = mkdtempSync(join(tmpdir(), "rigwatch-accuracy-"));
try {
  for (let seed = first; seed <= (last ?? first); seed++) {
    const session = presetSession("every-fault", { seed: seed * 1000 });
    for (const [i, scenario] of session.episodes.entries()) {
      const path = join(work, `s${seed}`, session.date, `episode_${String(i).padStart(3, "0")}.h5`);
      await generateEpisode(scenario, path);
      const expected = expectedLists(readTruth(path.replace(/\.h5$/, ".truth.json")));
      const { result } = await analyseEpisode(path, { key: `${seed}/${i}`, detect: defaultConfig().detect });
      for (const [mode, lists] of Object.entries(MODES)) {
        const t = tally[mode] as { truth: number; found: number; detected: number; correct: number };
        for (const list of lists) {
          const truth = expected[list];
          const got = result.lists[list];
          t.truth += truth.length;
          t.found += truth.filter((e) => got.some((g) => overlaps(e, g))).length;
          t.detected += got.length;
          t.correct += got.filter((g) => truth.some((e) => overlaps(e, g))).length;
        }
      }
    }
    rmSync(join(work, `s${seed}`), { recursive: true, force: true });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(`seeds ${first}-${last}: every-fault sessions (4 takes each), events matched by overlap`);
console.log("mode                   truth  found  recall  detected  correct  precision");
for (const [mode, t] of Object.entries(tally)) {
  const recall = t.truth ? (t.found / t.truth).toFixed(3) : "-";
  const precision = t.detected ? (t.correct / t.detected).toFixed(3) : "-";
  console.log(
    `${mode.padEnd(22)}${String(t.truth).padStart(6)}${String(t.found).padStart(7)}${recall.padStart(8)}${String(t.detected).padStart(10)}${String(t.correct).padStart(9)}${precision.padStart(11)}`,
  );
}
