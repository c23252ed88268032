import type { Config } from "../../config/index.js";
import { contactMetrics, drift, referenceP01 } from "../../detectors/image/index.js";
import type { Side } from "../../detectors/samples.js";
import type { FrameScan } from "./frameScan.js";

/** Per-frame contact metrics of one GelSight over the kept frames (index = frame - scan.from). */
export interface GelAnalysis {
  /** p01 reference, as an index into the kept frames; undefined when no frame was kept. */
  readonly referenceIndex: number | undefined;
  readonly intensity: Float32Array;
  readonly area: Float32Array;
  readonly mixed: Float32Array;
  /** Mean L2 distance between the first kept frame and the reference (spec §4); null without frames. */
  readonly drift: number | null;
}

/**
 * Contact metrics against the take's p01 reference (spec §4), all from the scan's thumbnail store.
 * Repeated frames share a slot, so their metrics are computed once.
 */
export function analyseGel(scan: FrameScan, side: Side, contact: Config["detect"]["contact"]): GelAnalysis {
  const { slots } = scan.gel[side];
  const n = scan.count;
  const intensity = new Float32Array(n);
  const area = new Float32Array(n);
  const mixed = new Float32Array(n);
  if (n === 0) return { referenceIndex: undefined, intensity, area, mixed, drift: null };
  const buffer = new Uint8Array(scan.store.thumbBytes);
  let buffered = -1;
  // GelSight repeats frames by design: consecutive frames often share a slot, read it once.
  const thumbOf = (i: number) => {
    const slot = slots[i] as number;
    if (slot !== buffered) scan.store.read(slot, buffer);
    buffered = slot;
    return buffer;
  };
  const { index } = referenceP01(thumbOf, n, {
    maxSamples: contact.medianFrames,
    window: contact.smoothFrames,
  });
  const reference = scan.store.read(slots[index] as number);
  for (let i = 0; i < n; i++) {
    if (i > 0 && slots[i] === slots[i - 1]) {
      intensity[i] = intensity[i - 1] as number;
      area[i] = area[i - 1] as number;
      mixed[i] = mixed[i - 1] as number;
      continue;
    }
    const m = contactMetrics(thumbOf(i), reference, contact.tau);
    intensity[i] = m.intensity;
    area[i] = m.area;
    mixed[i] = m.mixed;
  }
  return {
    referenceIndex: index,
    intensity,
    area,
    mixed,
    drift: drift(scan.store.read(slots[0] as number), reference),
  };
}
