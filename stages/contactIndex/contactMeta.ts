import type { Config } from "../../config/index.js";
import { type Side, TACTILE_SIDES } from "../../detectors/samples.js";
import type { EpisodeResult } from "../../sinks/reports/index.js";
import type { PyValue, TorchTensor } from "../../sinks/torch/index.js";
import type { GelAnalysis } from "../detect/gelAnalysis.js";

/** Bumped whenever a metric's definition changes, so consumers can tell indexes apart. */
export const CONTACT_FORMULA_VERSION = 1n;

export interface ReferenceThumbs {
  /** First kept frame and p01 reference per side, (3, 128, 128) uint8; null without kept frames. */
  readonly first: Readonly<Record<Side, TorchTensor | null>>;
  readonly p01: Readonly<Record<Side, TorchTensor | null>>;
}

/**
 * `_contact_meta` (spec §4), keys in the spec's order. Integers are Python ints, measures Python
 * floats; `ref_p01_idx_<side>` is an H5 (pre-trim) frame index; values that need a kept frame are None.
 */
export function contactMeta(
  result: EpisodeResult,
  gel: Readonly<Record<Side, GelAnalysis>>,
  refs: ReferenceThumbs,
  contact: Config["detect"]["contact"],
): Record<string, PyValue> {
  const perSide = <T extends PyValue>(name: string, value: (side: Side) => T) =>
    Object.fromEntries(TACTILE_SIDES.map((side) => [`${name}_${side}`, value(side)]));
  return {
    formula_version: CONTACT_FORMULA_VERSION,
    tau: contact.tau,
    rgb_norm: "L2",
    reference_strategy: "p01",
    ...perSide("ref_first", (s) => refs.first[s]),
    ...perSide("ref_p01", (s) => refs.p01[s]),
    ...perSide("ref_p01_idx", (s) => {
      const i = gel[s].referenceIndex;
      return i === undefined ? null : BigInt(i + result.trimOffset);
    }),
    ...perSide("drift", (s) => gel[s].drift),
    drift_warning: result.driftWarning,
    trim_offset: BigInt(result.trimOffset),
    trim_reason: result.trimReason,
    pre_trim_n_frames: BigInt(result.preTrimFrames),
    active_sensors: [...result.activeSensors],
  };
}
