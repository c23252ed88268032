import type { Config } from "../../config/index.js";
import { contactMetrics, drift, referenceP01, THUMB_BYTES } from "../../detectors/image/index.js";
import type { Side } from "../../detectors/samples.js";
import type { TakeEvidence } from "../analysis/index.js";

/** Per-frame contact metrics of one GelSight over the kept frames (index = frame - from). */
export interface GelAnalysis {
  /** p01 reference, as an index into the kept frames; undefined when no frame was kept. */
  readonly referenceIndex: number | undefined;
  readonly intensity: Float32Array;
  readonly area: Float32Array;
  readonly mixed: Float32Array;
  /** Mean L2 distance between the first kept frame and the reference (spec §4); null without frames. */
  readonly drift: number | null;
}

/** Bump when a metric's computation changes, so series kept beside the evidence are computed again. */
const SERIES_VERSION = 1;

/**
 * Contact metrics of the kept frames `from`…T−1 against their p01 reference (spec §4), from the
 * evidence's GelSight thumbnails. The series depend on the trim and three contact settings only, so
 * they are kept beside the evidence under that key: index, detect, the previews and a re-run with
 * other thresholds (an OT gap, a spike factor) read them instead of computing them again.
 */
export function analyseGel(
  evidence: TakeEvidence,
  side: Side,
  from: number,
  contact: Config["detect"]["contact"],
): GelAnalysis {
  const key = JSON.stringify([
    SERIES_VERSION,
    side,
    from,
    contact.tau,
    contact.medianFrames,
    contact.smoothFrames,
  ]);
  const kept = evidence.derived("gel", key);
  if (kept) return decodeSeries(kept);
  const gel = computeGel(evidence, side, from, contact);
  evidence.storeDerived("gel", key, encodeSeries(gel));
  return gel;
}

/** Repeated frames share a thumbnail slot, so their metrics are computed once. */
function computeGel(
  evidence: TakeEvidence,
  side: Side,
  from: number,
  contact: Config["detect"]["contact"],
): GelAnalysis {
  const slots = evidence.gelSlots(side).subarray(from);
  const n = slots.length;
  const intensity = new Float32Array(n);
  const area = new Float32Array(n);
  const mixed = new Float32Array(n);
  if (n === 0) return { referenceIndex: undefined, intensity, area, mixed, drift: null };
  const buffer = new Uint8Array(THUMB_BYTES);
  let buffered = -1;
  // GelSight repeats frames by design: consecutive frames often share a slot, read it once.
  const thumbOf = (i: number) => {
    const slot = slots[i] as number;
    if (slot !== buffered) evidence.gelThumb(side, slot, buffer);
    buffered = slot;
    return buffer;
  };
  const { index } = referenceP01(thumbOf, n, {
    maxSamples: contact.medianFrames,
    window: contact.smoothFrames,
  });
  const reference = evidence.gelThumb(side, slots[index] as number);
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
    drift: drift(evidence.gelThumb(side, slots[0] as number), reference),
  };
}

/** [referenceIndex (−1: none), drift (NaN: null)] as float64, then intensity, area, mixed as float32. */
function encodeSeries(g: GelAnalysis): Uint8Array {
  const n = g.intensity.length;
  const out = new ArrayBuffer(16 + 12 * n);
  new Float64Array(out, 0, 2).set([g.referenceIndex ?? -1, g.drift ?? Number.NaN]);
  const series = new Float32Array(out, 16, 3 * n);
  series.set(g.intensity, 0);
  series.set(g.area, n);
  series.set(g.mixed, 2 * n);
  return new Uint8Array(out);
}

function decodeSeries(bytes: Uint8Array): GelAnalysis {
  const copy = new Uint8Array(bytes); // aligned, not a view of a pooled Buffer
  const head = new Float64Array(copy.buffer, 0, 2);
  const ref = head[0] as number;
  const drift = head[1] as number;
  const n = (copy.length - 16) / 12;
  const series = new Float32Array(copy.buffer, 16, 3 * n);
  return {
    referenceIndex: ref < 0 ? undefined : ref,
    intensity: series.slice(0, n),
    area: series.slice(n, 2 * n),
    mixed: series.slice(2 * n),
    drift: Number.isNaN(drift) ? null : drift,
  };
}
