import { Observable } from "rxjs";
import { frameHash, thumbnail } from "../../detectors/image/index.js";
import type { LiveInput, PoseSample, StreamFrame, StreamName, TickSample } from "../../detectors/samples.js";
import { requireCameraTimes } from "./cameraTimes.js";
import { EpisodeReader } from "./EpisodeReader.js";
import { IMAGE_STREAMS } from "./layout.js";
import { SampleMerge } from "./SampleMerge.js";

export interface ReplayOptions {
  /** Multiple of real time, or "max" for as fast as frames can be read. */
  readonly speed: number | "max";
  readonly invalidQuatNorm: number;
  /** The recorder's episode number; default: the `NNN` of an `episode_NNN.h5` name. */
  readonly episode?: number;
  /** The bodies the take needs tracked, as the recorder would declare them at the take's start. */
  readonly activeBodies?: readonly string[];
}

/**
 * An episode as the live sources would have delivered it: `episode_start`, then OT samples and camera
 * ticks merged in source-time order, then `episode_end`. Frames are read one tick at a time; each tick
 * carries per-stream content hashes and 128×128 thumbnails, as the recorder tap sends them. Camera
 * times that cannot be right fail the replay before anything is emitted (EpisodeError bad_timestamps);
 * OT samples with impossible times are left out (EpisodeReader.ot).
 */
export function replayEpisode(path: string, options: ReplayOptions): Observable<LiveInput> {
  return new Observable<LiveInput>((subscriber) => {
    let stopped = false;
    const run = async () => {
      const reader = await EpisodeReader.open(path);
      try {
        const ts = reader.timestamps();
        requireCameraTimes(path, ts); // a tick without a valid time cannot be placed among the samples
        const streams = reader.bodies.map((b) => reader.ot(b));
        const samples = new SampleMerge(streams, options.invalidQuatNorm);
        const lastSampleT = Math.max(
          ...streams.map((s) => s.timestamps[s.timestamps.length - 1] ?? Number.NEGATIVE_INFINITY),
        );
        const numbered = /episode_(\d+)\.h5$/.exec(path);
        const episode = options.episode ?? (numbered ? Number(numbered[1]) : undefined);
        const t0 = Math.min(ts[0] ?? 0, samples.peekTime());
        const wallStart = performance.now();
        const pace = async (t: number) => {
          if (options.speed === "max") return;
          const due = wallStart + ((t - t0) * 1000) / options.speed;
          const wait = due - performance.now();
          if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
        };
        subscriber.next({
          type: "episode_start",
          t: t0,
          ...(episode === undefined ? {} : { episode }),
          path,
          ...(options.activeBodies ? { activeBodies: options.activeBodies } : {}),
        });
        for (let k = 0; k < reader.frameCount && !stopped; k++) {
          const tk = ts[k] as number;
          while (samples.peekTime() <= tk && !stopped) {
            const sample = samples.next() as PoseSample;
            await pace(sample.t);
            subscriber.next({ type: "pose", sample });
          }
          await pace(tk);
          subscriber.next({ type: "tick", tick: readTick(reader, k, tk) });
          if (options.speed === "max" && k % 8 === 7) await new Promise((resolve) => setImmediate(resolve));
        }
        for (let sample = samples.next(); sample && !stopped; sample = samples.next()) {
          subscriber.next({ type: "pose", sample });
        }
        const tEnd = Math.max(ts[reader.frameCount - 1] ?? t0, lastSampleT);
        if (!stopped) {
          subscriber.next({
            type: "episode_end",
            t: tEnd,
            ...(episode === undefined ? {} : { episode }),
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
