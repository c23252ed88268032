import type { PoseSample } from "../../detectors/samples.js";
import type { OtStream } from "./OtStream.js";
import { poseSampleAt } from "./otSamples.js";

/**
 * The bodies' OT streams merged into one arrival order, lazily: always the stream whose next sample is
 * earliest, each stream in its own file order (a sample that goes back in time stays where it was
 * recorded, as it arrived live).
 */
export class SampleMerge {
  private readonly cursors: number[];

  constructor(
    private readonly streams: readonly OtStream[],
    private readonly invalidQuatNorm: number,
  ) {
    this.cursors = streams.map(() => 0);
  }

  /** Time of the next sample, +∞ when every stream is exhausted. */
  peekTime(): number {
    const s = this.nextStream();
    return s < 0
      ? Number.POSITIVE_INFINITY
      : (this.streams[s]?.timestamps[this.cursors[s] as number] as number);
  }

  next(): PoseSample | undefined {
    const s = this.nextStream();
    if (s < 0) return undefined;
    const i = this.cursors[s] as number;
    this.cursors[s] = i + 1;
    return poseSampleAt(this.streams[s] as OtStream, i, this.invalidQuatNorm);
  }

  private nextStream(): number {
    let best = -1;
    let bestT = Number.POSITIVE_INFINITY;
    this.streams.forEach((stream, s) => {
      const i = this.cursors[s] as number;
      if (i < stream.timestamps.length && (stream.timestamps[i] as number) < bestT) {
        best = s;
        bestT = stream.timestamps[i] as number;
      }
    });
    return best;
  }
}
