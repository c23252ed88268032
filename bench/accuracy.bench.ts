/**
 * Detection accuracy over generated takes (issue 2: per failure mode, event recall and precision).
 * Writes each take at full resolution, runs the offline detector on it, and matches the published
 * lists against the ones the truth implies (padded and merged like the reports) by overlap.
 *
 *   node --import tsx bench/accuracy.bench.ts [--preset every-fault] [--seeds 1-8]
 *     every-fault sessions (4 takes covering every fault and hard negative), session seed = 1000 × seed
 *   node --import tsx bench/accuracy.bench.ts --preset random [--seed 1] [--count 40] [--seconds S] [--keep DIR]
 *     random takes with scenario seeds seed … seed + count - 1, each 10–30 s (or S s)
 *   either with [--noise clean|realistic]: the sensors' noise (default clean; realistic is what the
 *   rig records: every colour byte jitters, see sim/episode/sensorNoise.ts)
 *
 * After the table it lists every missed and every spurious event with the command that regenerates
 * its take (test/tools/generate.ts; the take is episode_00N.h5 of that command's output); `--keep DIR`
 * keeps the files (and the detector's result) of every take with a miss or a spurious event.
 */
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { defaultConfig } from "../config/index.js";
import { type Interval, padIntervals, trimIntervals } from "../detectors/intervals.js";
import { generateEpisode, truthPathFor } from "../sim/episode/generate.js";
import { presetSession } from "../sim/episode/presets.js";
import { SENSOR_NOISE, type SensorNoise } from "../sim/episode/sensorNoise.js";
import type { Scenario } from "../sim/episode/scenario.js";
import type { Truth, TruthEvent } from "../sim/episode/truth.js";
import type { EpisodeResult, FreezeRecord, PublishedList } from "../sinks/reports/index.js";
import { analyseEpisode } from "../stages/detect/analyseEpisode.js";
import { expectedLists } from "../test/helpers/truth.js";

const { values } = parseArgs({
  options: {
    preset: { type: "string", default: "every-fault" },
    seeds: { type: "string", default: "1-8" },
    seed: { type: "string", default: "1" },
    count: { type: "string", default: "40" },
    seconds: { type: "string" },
    keep: { type: "string" },
    noise: { type: "string", default: "clean" },
  },
});
const noise = values.noise as SensorNoise;
if (!SENSOR_NOISE.includes(noise)) throw new Error(`--noise must be one of ${SENSOR_NOISE.join(", ")}`);

const MODES: Record<string, PublishedList[]> = {
  gelsight_led_flicker: ["intensity_spikes"],
  pose_teleport: ["pose_teleports_L", "pose_teleports_R"],
  ot_loss: ["ot_loss_L", "ot_loss_R"],
  pipeline_stall: ["pipeline_stall"],
};
/** Truth events (bad ones) behind each published list. */
const LIST_OF: Record<string, (e: TruthEvent) => PublishedList | undefined> = {
  intensity_spike: () => "intensity_spikes",
  teleport: (e) => (e.body === "sensor_left" ? "pose_teleports_L" : "pose_teleports_R"),
  ot_loss: (e) => (e.body === "sensor_left" ? "ot_loss_L" : "ot_loss_R"),
  pipeline_stall: () => "pipeline_stall",
};
const PADDED = new Set<PublishedList>(["intensity_spikes", "pose_teleports_L", "pose_teleports_R"]);

/** One take to run: its scenario and how a person regenerates it. */
interface Take {
  readonly label: string;
  readonly scenario: Scenario;
  readonly file: string;
  readonly reproduce: string;
}

interface Finding {
  readonly take: Take;
  readonly what: "missed" | "spurious";
  readonly list: PublishedList;
  /** Post-trim frames, and the H5 frames beside them. */
  readonly interval: Interval;
  readonly trim: number;
  readonly notes: string[];
}

const GENERATE = "node --import tsx test/tools/generate.ts --out DIR";

function takes(): { header: string; takes: Take[] } {
  const seconds = values.seconds === undefined ? undefined : Number(values.seconds);
  if (seconds !== undefined && !(seconds >= 2)) throw new Error(`--seconds must be a number ≥ 2`);
  const secondsArg = `${seconds === undefined ? "" : ` --seconds ${seconds}`} --noise ${noise}`;
  if (values.preset === "every-fault") {
    const [first, last = first] = (values.seeds as string).split("-").map(Number) as [number, number?];
    const out: Take[] = [];
    for (let seed = first; seed <= last; seed++) {
      const session = presetSession("every-fault", {
        seed: seed * 1000,
        noise,
        ...(seconds ? { seconds } : {}),
      });
      session.episodes.forEach((scenario, i) => {
        const file = `episode_${String(i).padStart(3, "0")}.h5`;
        out.push({
          label: `session ${seed * 1000} take ${i} (seed ${scenario.seed})`,
          scenario,
          file: join(`s${seed}`, session.date, file),
          reproduce: `${GENERATE} --preset every-fault --seed ${seed * 1000}${secondsArg}  → ${file}`,
        });
      });
    }
    return {
      header: `every-fault sessions ${first}-${last} (4 takes each, session seed = 1000 × seed), ${noise} noise`,
      takes: out,
    };
  }
  if (values.preset === "random") {
    const seed = Number(values.seed);
    const count = Number(values.count);
    if (!Number.isInteger(seed) || seed < 0) throw new Error("--seed must be a non-negative integer");
    if (!Number.isInteger(count) || count < 1) throw new Error("--count must be a positive integer");
    const session = presetSession("random", { seed, count, noise, ...(seconds ? { seconds } : {}) });
    return {
      header: `random takes, scenario seeds ${seed}-${seed + count - 1}, ${seconds ? `${seconds} s` : "10-30 s"} each, ${noise} noise`,
      takes: session.episodes.map((scenario) => ({
        label: `seed ${scenario.seed}`,
        scenario,
        file: join(`seed${scenario.seed}`, session.date, "episode_000.h5"),
        reproduce: `${GENERATE} --preset random --seed ${scenario.seed}${secondsArg}  → episode_000.h5`,
      })),
    };
  }
  throw new Error("--preset must be every-fault or random");
}

const overlaps = (a: Interval, b: Interval) => a[0] <= b[1] && b[0] <= a[1];
const fmt = (e: TruthEvent) =>
  `${e.mode}${e.kind ? `/${e.kind}` : ""}${e.body || e.side ? ` ${e.body ?? e.side}` : ""} h5 [${e.start},${e.end}]${e.bad ? "" : " (hard negative)"}`;

/** A truth event's interval in its list's terms: padded like the list, post-trim. */
function eventInterval(
  e: TruthEvent,
  list: PublishedList,
  truth: Truth,
  buffer: number,
): Interval | undefined {
  const raw: Interval[] = [[e.start, e.end]];
  return trimIntervals(PADDED.has(list) ? padIntervals(raw, buffer, truth.T) : raw, truth.trim_offset)[0];
}

/** Compares one take's result with its truth; adds to the tally, returns what did not match. */
function score(take: Take, truth: Truth, result: EpisodeResult, tally: Record<string, Tally>): Finding[] {
  const buffer = defaultConfig().detect.bufferFrames;
  const expected = expectedLists(truth, buffer);
  const trim = result.trimOffset;
  const findings: Finding[] = [];
  const takeNotes: string[] = [];
  if (trim !== truth.trim_offset) takeNotes.push(`trim ${trim}, truth trim ${truth.trim_offset}`);
  if (result.activeSensors.join() !== truth.active_sensors.join())
    takeNotes.push(
      `active ${result.activeSensors.join("+") || "none"}, truth ${truth.active_sensors.join("+")}`,
    );
  const toH5 = ([a, b]: Interval): Interval => [a + truth.trim_offset, b + truth.trim_offset];
  for (const [mode, lists] of Object.entries(MODES)) {
    const t = tally[mode] as Tally;
    for (const list of lists) {
      const want = expected[list];
      const got = result.lists[list];
      t.truth += want.length;
      t.detected += got.length;
      for (const e of want) {
        if (got.some((g) => overlaps(e, g))) {
          t.found++;
          continue;
        }
        const behind = truth.events.filter((ev) => {
          if (!ev.bad || LIST_OF[ev.mode]?.(ev) !== list) return false;
          const i = eventInterval(ev, list, truth, buffer);
          return i !== undefined && overlaps(i, e);
        });
        const candidates = result.freezes.filter(
          (f) => sideOf(list) === f.side && overlaps([f.h5_a, f.h5_b], toH5(e)),
        );
        const freezes = candidates.map(describeFreeze);
        if (candidates.some((f) => f.verdict === "pipeline_stall"))
          freezes.push(
            "hint: a stall covers ≥ 30 % of the candidate's ±1 s window, so spec §3 rule 1 calls it a stall; the truth counts the OT loss",
          );
        findings.push({
          take,
          what: "missed",
          list,
          interval: e,
          trim: truth.trim_offset,
          notes: [...behind.map(fmt), ...freezes, ...takeNotes],
        });
      }
      for (const g of got) {
        if (want.some((e) => overlaps(e, g))) {
          t.correct++;
          continue;
        }
        // What the truth has near it (±1 s): hard negatives and other modes' events explain most.
        const h5: Interval = [g[0] + trim, g[1] + trim];
        const near = truth.events.filter(
          (ev) => ev.start <= h5[1] + truth.fps && h5[0] - truth.fps <= ev.end,
        );
        const candidates = result.freezes.filter(
          (f) => (sideOf(list) ?? f.side) === f.side && overlaps([f.h5_a, f.h5_b], h5),
        );
        const freezes = candidates.map(describeFreeze);
        const edge = candidates.find((f) => f.h5_a - truth.fps < 0 || f.h5_b + truth.fps > truth.T - 1);
        if (edge && near.some((ev) => ev.mode === "real_still"))
          freezes.push(
            `hint: the ±1 s diagnosis window runs past the recording; opt_gap_s ${edge.opt_gap_s} is measured to the window's edge`,
          );
        findings.push({
          take,
          what: "spurious",
          list,
          interval: g,
          trim,
          notes: [...near.map((ev) => `near: ${fmt(ev)}`), ...freezes, ...takeNotes],
        });
      }
    }
    // Per kind of truth event, for the breakdown below the table.
    for (const ev of truth.events) {
      const list = LIST_OF[ev.mode]?.(ev);
      if (!ev.bad || list === undefined || !lists.includes(list)) continue;
      const i = eventInterval(ev, list, truth, buffer);
      if (i === undefined) continue;
      const key = `${mode}/${ev.kind ?? ev.mode}`;
      const k = (byKind[key] ??= { events: 0, found: 0 });
      k.events++;
      if (result.lists[list].some((g) => overlaps(i, g))) k.found++;
    }
  }
  return findings;
}

const sideOf = (list: PublishedList) =>
  list.endsWith("_L") ? "left" : list.endsWith("_R") ? "right" : undefined;
const describeFreeze = (f: FreezeRecord) =>
  `freeze candidate ${f.side} h5 [${f.h5_a},${f.h5_b}] ${f.signals.join("+")} → ${f.verdict} (rule ${f.verdict_rule}; ` +
  `opt_gap_s ${f.opt_gap_s}, v ${f.trans_vel_near_mps} m/s, ω ${f.ang_vel_near_rad_s} rad/s, ` +
  `cam dup ${Object.values(f.camera_dup_fraction).join("/")}, cam motion ${Object.values(f.camera_motion).join("/")}, ` +
  `tactile ${f.tactile_motion})`;

interface Tally {
  truth: number;
  found: number;
  detected: number;
  correct: number;
}
const byKind: Record<string, { events: number; found: number }> = {};

async function main(): Promise<void> {
  const { header, takes: all } = takes();
  const tally: Record<string, Tally> = Object.fromEntries(
    Object.keys(MODES).map((m) => [m, { truth: 0, found: 0, detected: 0, correct: 0 }]),
  );
  const findings: Finding[] = [];
  const started = performance.now();
  let takeSeconds = 0;
  const work = mkdtempSync(join(tmpdir(), "rigwatch-accuracy-"));
  try {
    for (const [n, take] of all.entries()) {
      const path = join(work, take.file);
      const generated = await generateEpisode(take.scenario, path);
      takeSeconds += generated.truth.T / generated.truth.fps;
      const { result } = await analyseEpisode(path, { key: take.label, detect: defaultConfig().detect });
      const found = score(take, generated.truth, result, tally);
      findings.push(...found);
      const faults = (take.scenario.faults ?? []).map((f) => f.type).join(",") || "no faults";
      console.error(
        `[${n + 1}/${all.length}] ${take.label}: ${(generated.truth.T / 30).toFixed(1)} s, ${faults}` +
          (found.length ? `  — ${found.length} mismatch(es)` : ""),
      );
      if (found.length && values.keep) {
        const dir = join(values.keep, take.file.replace(/\.h5$/, ""));
        mkdirSync(dir, { recursive: true });
        renameSync(path, join(dir, "episode.h5"));
        renameSync(truthPathFor(path), join(dir, "episode.truth.json"));
        writeFileSync(join(dir, "result.json"), JSON.stringify(result, null, 1));
        writeFileSync(join(dir, "scenario.json"), JSON.stringify(take.scenario, null, 1));
      }
      rmSync(join(work, take.file.split("/")[0] as string), { recursive: true, force: true });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  const minutes = (performance.now() - started) / 60000;
  console.log(
    `${header}: ${all.length} takes, ${(takeSeconds / 60).toFixed(1)} min of recording, ran ${minutes.toFixed(1)} min`,
  );
  console.log(
    "events matched by overlap against the published lists the truth implies (padded, merged, post-trim)",
  );
  console.log("mode                   truth  found  recall  detected  correct  precision");
  for (const [mode, t] of Object.entries(tally)) {
    const recall = t.truth ? (t.found / t.truth).toFixed(3) : "-";
    const precision = t.detected ? (t.correct / t.detected).toFixed(3) : "-";
    console.log(
      `${mode.padEnd(22)}${String(t.truth).padStart(6)}${String(t.found).padStart(7)}${recall.padStart(8)}${String(t.detected).padStart(10)}${String(t.correct).padStart(9)}${precision.padStart(11)}`,
    );
  }
  console.log("\nrecall per truth event kind (before merging)");
  for (const [key, k] of Object.entries(byKind).sort()) {
    console.log(
      `  ${key.padEnd(36)}${String(k.found).padStart(5)} / ${String(k.events).padEnd(5)}${(k.found / k.events).toFixed(3)}`,
    );
  }
  console.log(
    `\n${findings.length ? `${findings.length} missed or spurious event(s)` : "no missed or spurious events"}`,
  );
  for (const f of findings) {
    const [a, b] = f.interval;
    console.log(`- ${f.what} ${f.list} [${a},${b}] (h5 [${a + f.trim},${b + f.trim}]) in ${f.take.label}`);
    for (const note of f.notes) console.log(`    ${note}`);
    console.log(`    reproduce: ${f.take.reproduce}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
