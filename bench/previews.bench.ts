/**
 * Previews benchmark (issue 7): seconds per episode GIF and per clip on a full-resolution take, the
 * output sizes, and the GIF encode against Pillow writing the same panels (same script, same panels).
 *
 *   node --import tsx bench/previews.bench.ts [--seconds 30] [--runs 3] [--noise clean,realistic]
 *                                             [--cases previews,panels,noise]
 *
 * Each run is a fresh child process (this file with --child), pinned to one core when taskset
 * exists. The take is the generator's `long` preset: a 2 s hold (a borderline freeze: a clip), an LED
 * flicker and a translation glitch. A second case is the hard one: 60 panels of noise, which overflow
 * 4 MB at full size and must be shrunk. Medians over the runs.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { loadConfig } from "../config/index.js";
import { EpisodeReader } from "../hw/h5/index.js";
import { generateEpisode } from "../sim/episode/generate.js";
import { presetSession } from "../sim/episode/presets.js";
import type { SensorNoise } from "../sim/episode/sensorNoise.js";
import { mulberry32 } from "../sim/episode/prng.js";
import { analyseEpisode } from "../stages/detect/analyseEpisode.js";
import {
  BUILT_IN_CALIBRATION,
  encodeCappedGif,
  loadCalibration,
  previewFrames,
  renderEpisodePreviews,
} from "../stages/previews/index.js";
import { PanelComposer } from "../stages/previews/composePanel.js";
import { EpisodeView } from "../stages/previews/EpisodeView.js";
import { OVERLAY_RGB } from "../stages/previews/panelLayout.js";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "30" },
    runs: { type: "string", default: "3" },
    child: { type: "string" },
    mode: { type: "string" },
    out: { type: "string" },
    noise: { type: "string", default: "clean,realistic" },
    /** previews: the whole stage; panels: the take's 60 panels encoded alone; noise: the hard case. */
    cases: { type: "string", default: "previews,panels,noise" },
  },
});
const config = loadConfig({ env: {}, sets: [] });
/** CPU seconds of this process (every thread: libvips' too) since `from`: steadier than wall time on a loaded machine. */
const cpuSince = (from: NodeJS.CpuUsage) => {
  const { user, system } = process.cpuUsage(from);
  return (user + system) / 1e6;
};
const W = 1280;
const H = 480;

if (values.child !== undefined) {
  const out = values.out as string;
  if (values.mode === "previews") {
    const made = await renderEpisodePreviews(values.child, {
      key: "bench/episode_000",
      detect: config.detect,
      previews: config.previews,
      outDir: out,
    });
    console.log(
      JSON.stringify({
        analysis: made.analysisSeconds,
        gif: {
          seconds: made.gif.seconds,
          bytes: made.gif.bytes,
          width: made.gif.width,
          colours: made.gif.colours,
        },
        clips: made.clips.map((c) => ({
          id: c.id,
          seconds: c.gif.seconds,
          bytes: c.gif.bytes,
          frames: c.gif.frames,
        })),
        maxRssKb: process.resourceUsage().maxRSS,
        cpuSeconds: cpuSince({ user: 0, system: 0 }),
      }),
    );
  } else {
    // The encode alone, on panels made once and saved for the Pillow reference: the take's 60 panels
    // ("panels") or 60 frames of noise ("noise").
    const strip = new Uint8Array(W * H * 3 * 60);
    let composeCpu = 0;
    if (values.mode === "noise") {
      const random = mulberry32(7);
      for (let i = 0; i < strip.length; i++) strip[i] = Math.floor(random() * 256);
    } else {
      const reader = await EpisodeReader.open(values.child);
      const analysis = await analyseEpisode(values.child, {
        key: "bench/episode_000",
        detect: config.detect,
      });
      const composer = new PanelComposer(
        new EpisodeView(reader, analysis),
        loadCalibration(BUILT_IN_CALIBRATION),
        config.detect,
      );
      const composing = process.cpuUsage();
      previewFrames(analysis.result.trimOffset, analysis.result.nFrames, 60, 0.02, 0.98).forEach((k, i) =>
        composer.compose(k, [i + 1, 60], undefined, strip.subarray(i * W * H * 3, (i + 1) * W * H * 3)),
      );
      composeCpu = cpuSince(composing);
      reader.close();
    }
    writeFileSync(join(out, "strip.raw"), strip);
    const start = performance.now();
    const encoding = process.cpuUsage();
    const gif = await encodeCappedGif(strip, W, H, 60, {
      delayMs: 100,
      maxBytes: config.previews.maxBytes,
      colours: 256,
      minColours: 128,
      exactColours: OVERLAY_RGB,
    });
    const seconds = (performance.now() - start) / 1000;
    const encodeCpu = cpuSince(encoding);
    const pil = JSON.parse(
      spawnSync(
        "/usr/bin/python3",
        [
          fileURLToPath(new URL("./pilGif.py", import.meta.url)),
          join(out, "strip.raw"),
          String(W),
          String(H),
          "60",
          join(out, "pil.gif"),
        ],
        { encoding: "utf8" },
      ).stdout,
    );
    console.log(
      JSON.stringify({
        seconds,
        encodeCpu,
        composeCpu,
        bytes: gif.gif.length,
        width: gif.width,
        colours: gif.colours,
        tries: gif.tries.filter((t) => t.bytes !== undefined).length,
        pil,
      }),
    );
  }
} else {
  const self = fileURLToPath(import.meta.url);
  const runs = Number(values.runs);
  const seconds = Number(values.seconds);
  const oneCore = spawnSync("taskset", ["-c", "0", "true"]).status === 0 ? ["taskset", "-c", "0"] : [];
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;
  const work = mkdtempSync(join(tmpdir(), "rigwatch-previews-bench-"));
  const child = (mode: string, input: string) => {
    const r = spawnSync(
      oneCore[0] ?? process.execPath,
      [
        ...oneCore.slice(1),
        ...(oneCore.length ? [process.execPath] : []),
        "--import",
        "tsx",
        self,
        "--child",
        input,
        "--mode",
        mode,
        "--out",
        work,
      ],
      { encoding: "utf8" },
    );
    if (r.status !== 0) throw new Error(`child ${mode} failed: ${r.stderr}`);
    return JSON.parse(r.stdout.trim().split("\n").at(-1) as string);
  };
  try {
    console.log(
      `machine: ${cpus()[0]?.model} × ${cpus().length}, node ${process.version}${oneCore.length ? ", pinned to core 0" : ""}`,
    );
    for (const noise of (values.noise as string).split(",") as SensorNoise[]) {
      console.log(`\n=== ${noise} sensor noise ===`);
      const take = join(work, "episode_000.h5");
      await generateEpisode(presetSession("long", { seed: 3, seconds, noise }).episodes[0] as never, take);
      console.log(
        `take: ${seconds} s, ${(statSync(take).size / 1e6).toFixed(1)} MB (BLOSC), 480×640, 3 cameras + 2 GelSight`,
      );

      const cases = (values.cases as string).split(",");
      const previews = cases.includes("previews")
        ? Array.from({ length: runs }, () => child("previews", take))
        : [];
      const p = previews[0];
      if (p) {
        console.log(`\nrigwatch previews, ${runs} runs (median):`);
        console.log(`  detect's pass      ${median(previews.map((r) => r.analysis)).toFixed(2)} s`);
        console.log(
          `  episode GIF        ${median(previews.map((r) => r.gif.seconds)).toFixed(2)} s  ${(p.gif.bytes / 1e6).toFixed(2)} MB, ${p.gif.width} px wide, ${p.gif.colours} colours`,
        );
        p.clips.forEach((c: { id: string; bytes: number; frames: number }, i: number) =>
          console.log(
            `  clip ${c.id.split(":").slice(1).join(":").padEnd(22)} ${median(previews.map((r) => r.clips[i].seconds)).toFixed(2)} s  ${(c.bytes / 1e6).toFixed(2)} MB, ${c.frames} frames`,
          ),
        );
        console.log(`  peak RSS           ${(median(previews.map((r) => r.maxRssKb)) / 1024).toFixed(0)} MB`);
        console.log(
          `  CPU, whole child   ${median(previews.map((r) => r.cpuSeconds)).toFixed(2)} s (the pass, every GIF, start-up)`,
        );
      }

      for (const mode of ["panels", "noise"].filter((c) => cases.includes(c))) {
        const r = Array.from({ length: runs }, () => child(mode, take));
        const ours = median(r.map((x) => x.seconds));
        const pil = median(r.map((x) => x.pil.seconds));
        console.log(
          `\nencode only, 60 ${mode === "noise" ? "noise frames (hard case)" : "panels of the take"}, ${runs} runs (median):`,
        );
        console.log(
          `  rigwatch (one palette, gifenc, ladder) ${ours.toFixed(2)} s  ${(r[0].bytes / 1e6).toFixed(2)} MB  ${r[0].width} px wide, ${r[0].colours} colours, ${r[0].tries} encodes`,
        );
        console.log(
          `  Pillow, full size, no cap              ${pil.toFixed(2)} s  ${(r[0].pil.bytes / 1e6).toFixed(2)} MB`,
        );
        console.log(`  ratio (Pillow time / rigwatch time)    ${(pil / ours).toFixed(2)}×`);
        console.log(
          `  CPU: rigwatch's encode ${median(r.map((x) => x.encodeCpu)).toFixed(2)} s, Pillow's ${median(r.map((x) => x.pil.cpu)).toFixed(2)} s (ratio ${(median(r.map((x) => x.pil.cpu)) / median(r.map((x) => x.encodeCpu))).toFixed(2)}×)${mode === "panels" ? `, drawing the 60 panels ${median(r.map((x) => x.composeCpu)).toFixed(2)} s` : ""}`,
        );
      }
      rmSync(take, { force: true });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
