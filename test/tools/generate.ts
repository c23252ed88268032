/**
 * Writes synthetic recorder sessions with injected faults and their truth:
 *   node --import tsx test/tools/generate.ts --out DIR [--preset every-fault|clean|long|random|realistic]
 *     [--seconds S] [--seed N] [--count N] [--noise clean|realistic]
 * → DIR/<task>/<date>/episode_NNN.h5 and episode_NNN.truth.json beside each.
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { generateEpisode } from "../../sim/episode/generate.js";
import { PRESETS, type PresetName, presetSession } from "../../sim/episode/presets.js";
import { SENSOR_NOISE, type SensorNoise } from "../../sim/episode/sensorNoise.js";

function number(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number, got ${value}`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: "string" },
      preset: { type: "string", default: "every-fault" },
      seconds: { type: "string" },
      seed: { type: "string" },
      count: { type: "string" },
      noise: { type: "string" },
    },
  });
  if (!values.out) throw new Error("--out DIR is required");
  const preset = values.preset as PresetName;
  if (!PRESETS.includes(preset)) throw new Error(`--preset must be one of ${PRESETS.join(", ")}`);
  const noise = values.noise as SensorNoise | undefined;
  if (noise !== undefined && !SENSOR_NOISE.includes(noise))
    throw new Error(`--noise must be one of ${SENSOR_NOISE.join(", ")}`);
  const count = number(values.count, "count");
  const seconds = number(values.seconds, "seconds");
  const seed = number(values.seed, "seed");
  const session = presetSession(preset, {
    ...(seconds === undefined ? {} : { seconds }),
    ...(seed === undefined ? {} : { seed: Math.floor(seed) }),
    ...(count === undefined ? {} : { count: Math.floor(count) }),
    ...(noise === undefined ? {} : { noise }),
  });
  const folder = join(values.out, session.task, session.date);
  for (const [i, scenario] of session.episodes.entries()) {
    const path = join(folder, `episode_${String(i).padStart(3, "0")}.h5`);
    const r = await generateEpisode(scenario, path);
    const takeS = r.truth.T / r.truth.fps;
    const faults = r.truth.events
      .map((e) => `${e.mode}${e.bad ? "" : "(ok)"}[${e.start},${e.end}]`)
      .join(" ");
    console.log(
      `${path}  ${takeS.toFixed(1)} s take, ${(r.bytes / 1e6).toFixed(1)} MB, written in ${r.seconds.toFixed(1)} s` +
        `  trim ${r.truth.trim_offset}  ${faults || "no faults"}`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
