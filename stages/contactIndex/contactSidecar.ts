import type { Config } from "../../config/index.js";
import type { Side } from "../../detectors/samples.js";
import { TACTILE_SIDES } from "../../detectors/samples.js";
import { percentile } from "../../detectors/stats.js";
import { type EpisodeResult, round } from "../../sinks/reports/index.js";
import type { GelAnalysis } from "../detect/gelAnalysis.js";

export interface MetricSummary {
  readonly min: number;
  readonly mean: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

const METRICS = ["intensity", "area", "mixed"] as const;

/** min / mean / p50 / p99 / max (NumPy's linear percentiles), rounded for stable text; null without frames. */
export function summarise(values: Float32Array): MetricSummary | null {
  if (values.length === 0) return null;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let sum = 0;
  for (const v of values) {
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
  }
  return {
    min: round(min),
    mean: round(sum / values.length),
    p50: round(percentile(values, 50)),
    p99: round(percentile(values, 99)),
    max: round(max),
  };
}

/**
 * The `episode_NNN.contact.json` sidecar (spec §4): frame count, trim, active sensors, tau, reference
 * indices (H5 and post-trim), drift, and per side the metric summaries plus contact % (frames whose
 * `mixed` exceeds the contact threshold, 0.4 by default).
 */
export function contactSidecar(
  result: EpisodeResult,
  gel: Readonly<Record<Side, GelAnalysis>>,
  contact: Config["detect"]["contact"],
): Record<string, unknown> {
  const sides = Object.fromEntries(
    TACTILE_SIDES.map((side) => {
      const g = gel[side];
      const n = g.mixed.length;
      let inContact = 0;
      for (const m of g.mixed) if (m > contact.contactMixed) inContact++;
      return [
        side,
        {
          ref_p01_idx: g.referenceIndex === undefined ? null : g.referenceIndex + result.trimOffset,
          ref_p01_idx_post_trim: g.referenceIndex ?? null,
          drift: g.drift === null ? null : round(g.drift),
          ...Object.fromEntries(METRICS.map((m) => [m, summarise(g[m])])),
          contact_frames: inContact,
          contact_pct: n === 0 ? null : round((100 * inContact) / n, 4),
        },
      ];
    }),
  );
  return {
    episode: result.key,
    n_frames: result.nFrames,
    pre_trim_n_frames: result.preTrimFrames,
    trim_offset: result.trimOffset,
    trim_reason: result.trimReason,
    active_sensors: result.activeSensors,
    active_source: result.activeSource,
    tau: contact.tau,
    contact_mixed_threshold: contact.contactMixed,
    drift_warning: result.driftWarning,
    drift_threshold: contact.driftWarning,
    sides,
  };
}
