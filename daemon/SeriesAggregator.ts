import { hypot3 } from "../detectors/ot/index.js";
import type { PoseSample } from "../detectors/samples.js";
import type { SeriesMessage } from "./hubMessages.js";

/** Points per second per series on the wire: enough for a 30 s plot, far below Motive's 240 Hz. */
const BUCKET_S = 1 / 30;
/** Consecutive samples further apart than this are not one motion (a dropout): no speed across them. */
const MAX_GAP_S = 0.25;

type Point = [number, number];

/** One series thinned to the largest value per bucket, so a teleport's spike survives the thinning. */
class Bucketed {
  readonly done: Point[] = [];
  #bucket = -1;
  #t = 0;
  #max = -Infinity;

  add(rx: number, value: number): void {
    const bucket = Math.floor(rx / BUCKET_S);
    if (bucket !== this.#bucket) {
      if (this.#bucket >= 0) this.done.push([this.#t, this.#max]);
      this.#bucket = bucket;
      this.#max = -Infinity;
    }
    if (value >= this.#max) {
      this.#max = value;
      this.#t = rx;
    }
  }
}

/**
 * The operator page's plot points: each body's translation speed (from consecutive valid samples)
 * and each GelSight's contact intensity, thinned and sent in batches (call `flush` 10 times a second).
 * Times are the receive clock, so speed and intensity share one time axis.
 */
export class SeriesAggregator {
  readonly #speed = new Map<string, Bucketed>();
  readonly #intensity = new Map<string, Bucketed>();
  readonly #last = new Map<string, PoseSample>();

  pose(sample: PoseSample): void {
    const previous = this.#last.get(sample.body);
    if (!sample.valid) {
      this.#last.delete(sample.body);
      return;
    }
    this.#last.set(sample.body, sample);
    if (!previous) return;
    const dt = sample.t - previous.t;
    if (!(dt > 0 && dt <= MAX_GAP_S)) return;
    const [x, y, z] = sample.position;
    const [px, py, pz] = previous.position;
    const speed = hypot3(x - px, y - py, z - pz) / dt;
    series(this.#speed, sample.body).add(sample.rx, speed);
  }

  /** `side` is "left" or "right". */
  intensity(side: string, value: number, rx: number): void {
    if (Number.isFinite(value)) series(this.#intensity, side).add(rx, value);
  }

  /** The points completed since the last flush, or undefined when there are none. */
  flush(): SeriesMessage | undefined {
    const speed = drain(this.#speed);
    const intensity = drain(this.#intensity);
    if (Object.keys(speed).length === 0 && Object.keys(intensity).length === 0) return undefined;
    return { type: "series", speed, intensity };
  }
}

function series(map: Map<string, Bucketed>, name: string): Bucketed {
  let found = map.get(name);
  if (!found) map.set(name, (found = new Bucketed()));
  return found;
}

function drain(map: Map<string, Bucketed>): Record<string, Point[]> {
  const out: Record<string, Point[]> = {};
  for (const [name, bucketed] of map) {
    if (bucketed.done.length > 0) out[name] = bucketed.done.splice(0);
  }
  return out;
}
