import type { Config } from "../../config/index.js";
import {
  bodyTravel,
  OtLossDetector,
  type OtLossSpan,
  TeleportDetector,
  type TeleportEvent,
} from "../../detectors/ot/index.js";
import type { PoseSample } from "../../detectors/samples.js";

export interface BodyOtAnalysis {
  readonly body: string;
  readonly sampleCount: number;
  readonly invalidCount: number;
  /** Samples whose time did not advance: ignored by the detectors, reported as a warning. */
  readonly outOfOrder: number;
  readonly lossSpans: readonly OtLossSpan[];
  readonly teleports: readonly TeleportEvent[];
  /** Times of valid, in-order samples (for trim). */
  readonly validTimes: Float64Array;
  readonly travelM: number;
}

/** Runs the live OT detectors over one body's whole stream, from the take's first to last tick. */
export function analyseOtStream(
  body: string,
  samples: Iterable<PoseSample>,
  start: number,
  end: number,
  detect: Config["detect"],
): BodyOtAnalysis {
  const loss = new OtLossDetector(body, detect, start);
  const teleport = new TeleportDetector(body, {
    ...detect.teleport,
    otGapS: detect.otGapS,
    invalidQuatNorm: detect.invalidQuatNorm,
  });
  const lossSpans: OtLossSpan[] = [];
  const teleports: TeleportEvent[] = [];
  const validTimes: number[] = [];
  const axes: [number[], number[], number[]] = [[], [], []];
  let sampleCount = 0;
  let invalidCount = 0;
  let lastT = Number.NEGATIVE_INFINITY;
  for (const sample of samples) {
    sampleCount++;
    lossSpans.push(...loss.push(sample));
    const event = teleport.push(sample);
    if (event) teleports.push(event);
    if (!sample.valid) invalidCount++;
    else if (sample.t > lastT) {
      validTimes.push(sample.t);
      for (let a = 0; a < 3; a++) axes[a]?.push(sample.position[a] as number);
    }
    if (sample.t > lastT) lastT = sample.t;
  }
  lossSpans.push(...loss.finish(end));
  return {
    body,
    sampleCount,
    invalidCount,
    outOfOrder: loss.outOfOrder,
    lossSpans,
    teleports,
    validTimes: Float64Array.from(validTimes),
    travelM: bodyTravel(axes),
  };
}
