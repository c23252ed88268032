import type { Side } from "../../detectors/samples.js";

/**
 * `kind` of a session from its active sensors: "bimanual" (both GelSights in use), "left_hand" or
 * "right_hand" (one), "none" (neither touched nor moved).
 */
export function sessionKind(activeSensors: readonly Side[]): string {
  const left = activeSensors.includes("left");
  const right = activeSensors.includes("right");
  if (left && right) return "bimanual";
  if (left) return "left_hand";
  if (right) return "right_hand";
  return "none";
}
