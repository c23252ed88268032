import { FrameClock } from "../../detectors/frameClock.js";
import type { Interval } from "../../detectors/intervals.js";
import { SENSOR_BODY, type Side, TACTILE_SIDES } from "../../detectors/samples.js";
import { type EpisodeReader, OT_BODIES, type OtStream } from "../../hw/h5/index.js";
import type { EpisodeResult, PublishedList } from "../../sinks/reports/index.js";
import type { EpisodeAnalysis } from "../detect/analyseEpisode.js";

/** What the panel shows of one body at one camera frame. */
export interface BodyAtFrame {
  readonly body: string;
  /** The nearest OT sample's row (x, y, z, qx, qy, qz, qw), undefined when the body has no samples. */
  readonly pose: Float64Array | undefined;
  /** |camera time − nearest sample time|, seconds. */
  readonly ageS: number;
}

/**
 * One episode as the previews need it: the offline analysis (trim, published lists, references) plus
 * the per-frame nearest OT samples (spec §2), so every panel is drawn from what detect decided.
 */
export class EpisodeView {
  readonly timestamps: Float64Array;
  private readonly streams: Readonly<Record<string, OtStream>>;
  private readonly nearest: Readonly<Record<string, Int32Array>>;

  constructor(
    readonly reader: EpisodeReader,
    readonly analysis: EpisodeAnalysis,
  ) {
    this.timestamps = reader.timestamps();
    const clock = new FrameClock(this.timestamps);
    const streams: Record<string, OtStream> = {};
    const nearest: Record<string, Int32Array> = {};
    for (const body of OT_BODIES) {
      streams[body] = reader.ot(body);
      nearest[body] = clock.nearestSamples(streams[body].timestamps);
    }
    this.streams = streams;
    this.nearest = nearest;
  }

  get result(): EpisodeResult {
    return this.analysis.result;
  }

  /** First kept (post-trim) H5 frame. */
  get from(): number {
    return this.result.trimOffset;
  }

  /** The p01 contact reference of a side as an H5 frame index, when the side has frames. */
  referenceFrame(side: Side): number | undefined {
    const index = this.analysis.gel[side].referenceIndex;
    return index === undefined ? undefined : index + this.from;
  }

  body(body: string, h5Frame: number): BodyAtFrame {
    const stream = this.streams[body] as OtStream;
    const j = (this.nearest[body] as Int32Array)[h5Frame] as number;
    if (j < 0) return { body, pose: undefined, ageS: Number.POSITIVE_INFINITY };
    return {
      body,
      pose: stream.pose.subarray(j * 7, j * 7 + 7),
      ageS: Math.abs((this.timestamps[h5Frame] as number) - (stream.timestamps[j] as number)),
    };
  }

  /** The published lists (spec §3) that hold an H5 frame, by name. */
  listsAt(h5Frame: number): PublishedList[] {
    const k = h5Frame - this.from;
    return (Object.entries(this.result.lists) as [PublishedList, readonly Interval[]][])
      .filter(([, list]) => list.some(([a, b]) => k >= a && k <= b))
      .map(([name]) => name);
  }

  sideOfBody(body: string): Side | undefined {
    return TACTILE_SIDES.find((s) => SENSOR_BODY[s] === body);
  }
}
