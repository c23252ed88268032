import { Observable } from "rxjs";
import { frameHash, thumbnail } from "../../detectors/image/index.js";
import type { LiveInput, PoseSample, StreamFrame, StreamName, TickSample } from "../../detectors/samples.js";
import { EpisodeReader } from "./EpisodeReader.js";
import { IMAGE_STREAMS } from "./layout.js";
import { poseSamplesOf } from "./otSamples.js";

export interface ReplayOptions {
  /** Multiple of real time, or "max" for as fast as frames can be read. */
  readonly speed: number | "max";
  readonly invalidQuatNorm: number;
  /** Episode name carried by the start/end events. */
  readonly episode?: string;
}

/**
 * An episode as the live sources would have delivered it: `episode_start`, then OT samples and camera
 * ticks merged in source-time order, then `episode_end`. Frames are read one tick at a time; each tick
 * carries per-stream content hashes and 128×128 thumbnails, as the recorder tap sends them.
 */
export function replayEpisode(path: string, options: ReplayOptions): Observable<LiveInput> {
  return new Observable<LiveInput>((subscriber) => {
    let stopped = false;
    const run = async () => {
      const reader = await EpisodeReader.open(path);
      try {
        const ts = reader.timestamps();
        const samples = reader.bodies.flatMap((b) => poseSamplesOf(reader.ot(b), options.invalidQuatNorm));
        samples.sort((a, b) => a.t - b.t); // stable: a body's out-of-order samples keep their file order
        const episode = options.episode ?? path;
        const t0 = Math.min(ts[0] ?? 0, samples[0]?.t ?? Number.POSITIVE_INFINITY);
        const wallStart = performance.now();
        const pace = async (t: number) => {
          if (options.speed === "max") return;
          const due = wallStart + ((t - t0) * 1000) / options.speed;
          const wait = due - performance.now();
          if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
        };
        subscriber.next({ type: "episode_start", t: t0, episode, path });
        let s = 0;
        for (let k = 0; k < reader.frameCount && !stopped; k++) {
          const tk = ts[k] as number;
          while (s < samples.length && (samples[s] as PoseSample).t <= tk && !stopped) {
            const sample = samples[s++] as PoseSample;
            await pace(sample.t);
            subscriber.next({ type: "pose", sample });
          }
          await pace(tk);
          subscriber.next({ type: "tick", tick: readTick(reader, k, tk) });
          if (options.speed === "max" && k % 8 === 7) await new Promise((resolve) => setImmediate(resolve));
        }
        while (s < samples.length && !stopped)
          subscriber.next({ type: "pose", sample: samples[s++] as PoseSample });
        const tEnd = Math.max(ts[reader.frameCount - 1] ?? t0, samples[samples.length - 1]?.t ?? t0);
        if (!stopped) {
          subscriber.next({
            type: "episode_end",
            t: tEnd,
            episode,
            path,
            framesWritten: reader.frameCount,
            framesDropped: 0,
          });
        }
      } finally {
        reader.close();
      }
    };
    run().then(
      () => subscriber.complete(),
      (error: unknown) => subscriber.error(error),
    );
    return () => {
      stopped = true;
    };
  });
}

function readTick(reader: EpisodeReader, k: number, t: number): TickSample {
  const streams: Partial<Record<StreamName, StreamFrame>> = {};
  for (const stream of IMAGE_STREAMS) {
    const frame = reader.frame(stream, k);
    streams[stream] = { hash: frameHash(frame), thumb: thumbnail(frame, reader.height, reader.width) };
  }
  return { frame: k, t, streams };
}
