import { readdirSync, rmSync } from "node:fs";
import { makeOutputDir } from "../../sinks/OutputWriteError.js";
import { basename, join } from "node:path";
import type { Config } from "../../config/index.js";
import type { Side } from "../../detectors/samples.js";
import { EpisodeReader } from "../../hw/h5/index.js";
import { writeFileAtomic } from "../../sinks/atomicWrite.js";
import type { FreezeRecord } from "../../sinks/reports/index.js";
import { EvidenceCache } from "../analysis/index.js";
import { analyseEvidence, type EpisodeAnalysis } from "../detect/analyseEpisode.js";
import { BUILT_IN_CALIBRATION, loadCalibration } from "./calibration.js";
import { type ClipEvent, clipEvents, clipFileName } from "./clipEvents.js";
import { type Highlight, PanelComposer } from "./composePanel.js";
import { type CappedGif, encodeCappedGif } from "./encodeGif.js";
import { EpisodeView } from "./EpisodeView.js";
import { OVERLAY_RGB, PANEL_HEIGHT, PANEL_WIDTH, SOURCE_HEIGHT, SOURCE_WIDTH } from "./panelLayout.js";
import { clipFrames, previewFrames } from "./previewFrames.js";
import { PreviewError } from "./PreviewError.js";

export const CLIPS_DIR = "clips";

export interface PreviewOptions {
  /** `<date>/episode_NNN`. */
  readonly key: string;
  readonly detect: Config["detect"];
  readonly previews: Config["previews"];
  /** Folder of the episode GIF; clips go to its `clips/` subfolder. */
  readonly outDir: string;
  readonly activeSensors?: readonly Side[];
  /** freeze_intervals.json's records, so a person's verdicts shape the lists the panels show. */
  readonly previousFreezes?: readonly FreezeRecord[];
  /** Make the borderline-event clips too (default true). */
  readonly clips?: boolean;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface WrittenGif extends Omit<CappedGif, "gif"> {
  readonly path: string;
  readonly bytes: number;
  readonly frames: number;
  /** Drawing, encoding and writing it. */
  readonly seconds: number;
}

export interface EpisodePreviews {
  /** detect's analysis the previews are drawn from (with the analysis pass, when there was no evidence). */
  readonly analysisSeconds: number;
  readonly gif: WrittenGif;
  readonly clips: readonly (ClipEvent & { readonly gif: WrittenGif })[];
}

/**
 * Spec §6 for one episode: the preview GIF (60 panels over [2 %, 98 %] of the kept frames) and a clip
 * of each borderline event (its frames ±1 s, the sensor circled red), drawn from detect's own offline
 * pass. Each GIF is written atomically; clips of this episode that no longer match an event are removed.
 */
export async function renderEpisodePreviews(path: string, options: PreviewOptions): Promise<EpisodePreviews> {
  // Only the frames the GIF and the clips draw are decoded; detect's analysis comes from the evidence.
  const reader = await EpisodeReader.open(path);
  try {
    if (reader.height !== SOURCE_HEIGHT || reader.width !== SOURCE_WIDTH)
      throw new PreviewError(
        path,
        `expected ${SOURCE_WIDTH}×${SOURCE_HEIGHT} frames, found ${reader.width}×${reader.height}`,
      );
    const started = performance.now();
    const evidence = await EvidenceCache.open(path);
    let analysis: EpisodeAnalysis;
    try {
      analysis = analyseEvidence(evidence, {
        key: options.key,
        detect: options.detect,
        ...(options.activeSensors ? { activeSensors: options.activeSensors } : {}),
        ...(options.previousFreezes ? { previousFreezes: options.previousFreezes } : {}),
      });
    } finally {
      evidence.close();
    }
    const analysisSeconds = (performance.now() - started) / 1000;
    const { result } = analysis;
    if (result.nFrames === 0)
      throw new PreviewError(path, "no frames kept after the trim: nothing to preview");
    const view = new EpisodeView(reader, analysis);
    const calibration = loadCalibration(
      options.previews.calibrationDir || BUILT_IN_CALIBRATION,
      reader.metadata.realsenseSerials,
    );
    const composer = new PanelComposer(view, calibration, options.detect);
    const p = options.previews;
    const events =
      options.clips === false ? [] : clipEvents(analysis, view.timestamps, options.detect, p.clips);
    const context = Math.round(p.clips.contextS * result.fps);
    const clipWindows = events.map((e) =>
      clipFrames(
        Math.max(result.trimOffset, e.h5[0] - context),
        Math.min(result.preTrimFrames - 1, e.h5[1] + context),
        p.clips.frames,
      ),
    );
    const total = p.frames + clipWindows.reduce((n, w) => n + w.length, 0);
    let done = 0;
    const progress = () => options.onProgress?.(++done, total);

    makeOutputDir(options.outDir);
    const stem = basename(path, ".h5");
    const frames = previewFrames(result.trimOffset, result.nFrames, p.frames, p.startFraction, p.endFraction);
    const gif = await renderGif(
      composer,
      frames,
      join(options.outDir, `${stem}.gif`),
      p,
      p.frameDelayMs,
      undefined,
      progress,
    );

    const clipsDir = join(options.outDir, CLIPS_DIR);
    const clips: EpisodePreviews["clips"][number][] = [];
    for (const [i, e] of events.entries()) {
      makeOutputDir(clipsDir);
      const highlight: Highlight = {
        side: e.side,
        label: `${e.side.toUpperCase()}: ${e.reason}`,
      };
      const out = join(clipsDir, clipFileName(e));
      clips.push({
        ...e,
        gif: await renderGif(
          composer,
          clipWindows[i] as number[],
          out,
          p,
          p.clips.frameDelayMs,
          highlight,
          progress,
        ),
      });
    }
    removeStaleClips(clipsDir, stem, new Set(clips.map((c) => basename(c.gif.path))));
    return { analysisSeconds, gif, clips };
  } finally {
    reader.close();
  }
}

async function renderGif(
  composer: PanelComposer,
  frames: readonly number[],
  out: string,
  p: Config["previews"],
  delayMs: number,
  highlight: Highlight | undefined,
  progress: () => void,
): Promise<WrittenGif> {
  const started = performance.now();
  const frameBytes = PANEL_WIDTH * PANEL_HEIGHT * 3;
  const strip = new Uint8Array(frameBytes * frames.length);
  frames.forEach((h5, i) => {
    composer.compose(
      h5,
      [i + 1, frames.length],
      highlight,
      strip.subarray(i * frameBytes, (i + 1) * frameBytes),
    );
    progress();
  });
  let encoded: CappedGif;
  try {
    encoded = await encodeCappedGif(strip, PANEL_WIDTH, PANEL_HEIGHT, frames.length, {
      delayMs,
      maxBytes: p.maxBytes,
      colours: p.colours,
      minColours: Math.min(p.minColours, p.colours),
      exactColours: OVERLAY_RGB,
    });
  } catch (error) {
    throw new PreviewError(out, (error as Error).message);
  }
  const { gif, ...rest } = encoded;
  writeFileAtomic(out, gif);
  return {
    ...rest,
    path: out,
    bytes: gif.length,
    frames: frames.length,
    seconds: (performance.now() - started) / 1000,
  };
}

/** Clips this episode had from an earlier run whose event is gone (a verdict, a changed take). */
function removeStaleClips(dir: string, stem: string, keep: ReadonlySet<string>): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names)
    if (name.startsWith(`${stem}.`) && name.endsWith(".gif") && !keep.has(name))
      rmSync(join(dir, name), { force: true });
}
