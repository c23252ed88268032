import type { FreezeVerdict } from "../../detectors/freezeClassifier.js";
import type { Interval } from "../../detectors/intervals.js";
import type { Side } from "../../detectors/samples.js";
import type { TrimReason } from "../../detectors/trim.js";

export const PUBLISHED_LISTS = [
  "intensity_spikes",
  "pose_teleports_L",
  "pose_teleports_R",
  "ot_loss_L",
  "ot_loss_R",
  "pipeline_stall",
] as const;
export type PublishedList = (typeof PUBLISHED_LISTS)[number];

export type ManualVerdict = "keep" | "cut" | "merge";

/** One freeze candidate with its cross-modal statistics (spec §3, §5 freeze_intervals.json). */
export interface FreezeRecord {
  readonly episode: string;
  readonly side: Side;
  /** Post-trim frame indices; the H5 indices beside them for people who open the raw file. */
  readonly a: number;
  readonly b: number;
  readonly h5_a: number;
  readonly h5_b: number;
  readonly length_s: number;
  /** What raised the candidate: held pose, gap, invalid samples. */
  readonly signals: readonly string[];
  readonly trans_vel_near_mps: number;
  readonly ang_vel_near_rad_s: number;
  readonly opt_gap_s: number;
  readonly invalid_samples: boolean;
  readonly camera_dup_fraction: Readonly<Record<string, number>>;
  /** The same over the candidate's own frames (rule 1 needs both). */
  readonly camera_dup_fraction_inside: Readonly<Record<string, number>>;
  readonly camera_motion: Readonly<Record<string, number>>;
  readonly tactile_dup_fraction: number;
  readonly tactile_motion: number;
  readonly verdict: FreezeVerdict;
  readonly verdict_rule: number;
  /** OT's own clock shows the loss (rule 2's evidence), whatever the verdict. */
  readonly ot_evidence: boolean;
  readonly manual_verdict: ManualVerdict | null;
}

/** Everything the reports need of one episode. Frame indices are post-trim unless named h5_*. */
export interface EpisodeResult {
  readonly key: string;
  readonly fps: number;
  readonly nFrames: number;
  readonly preTrimFrames: number;
  readonly trimOffset: number;
  readonly trimReason: TrimReason;
  readonly activeSensors: readonly Side[];
  readonly activeSource: "tasks.json" | "detected";
  readonly lists: Readonly<Record<PublishedList, readonly Interval[]>>;
  readonly freezes: readonly FreezeRecord[];
  readonly drift: Readonly<Record<Side, number | null>>;
  readonly driftWarning: boolean;
  readonly integrity: string;
  readonly warnings: readonly string[];
}
