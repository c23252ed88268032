import { statSync } from "node:fs";
import type { Config } from "../../config/index.js";
import { frameHash, thumbnail } from "../../detectors/image/index.js";
import {
  CAMERA_STREAMS,
  type CameraStream,
  type PoseSample,
  type StreamFrame,
  type StreamName,
  TACTILE_SIDES,
} from "../../detectors/samples.js";
import { EpisodeReader, IMAGE_STREAMS } from "../../hw/h5/index.js";
import { SampleMerge } from "../../hw/h5/SampleMerge.js";
import { foxgloveSchema } from "../../sinks/foxglove/foxgloveSchema.js";
import { McapFileWriter } from "../../sinks/foxglove/McapFileWriter.js";
import { toNanoseconds, toProtoTimestamp } from "../../sinks/foxglove/time.js";
import { episodeNumber } from "../dataset/index.js";
import { BUILT_IN_CALIBRATION, loadCalibration } from "../previews/calibration.js";
import { AlarmReplay } from "./AlarmReplay.js";
import { encodeJpeg } from "./encodeJpeg.js";
import { ExportError } from "./ExportError.js";
import { cameraFrame, exportTopics, gelFrame, MOCAP_FRAME } from "./exportTopics.js";
import { type DetectFindings, detectLogEntries } from "./detectLogEntries.js";
import { alarmLogEntry, type LogEntry, logMessage } from "../../sinks/foxglove/logEntry.js";
import { rigTransforms } from "./rigTransforms.js";

export interface ExportOptions {
  /** `<date>/episode_NNN`: names the take in its alarms and the file's metadata. */
  readonly key: string;
  /** The .mcap to write (atomically). */
  readonly out: string;
  /** Seconds from the take's first camera frame; default the whole take. */
  readonly fromS?: number;
  readonly toS?: number;
  readonly config: Pick<Config, "detect" | "live" | "export" | "previews">;
  /** detect's findings for this take, or undefined when its reports do not cover it. */
  readonly findings?: DetectFindings;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface ExportResult {
  readonly path: string;
  readonly out: string;
  /** Camera ticks exported. */
  readonly frames: number;
  /** Messages per topic. */
  readonly messages: Readonly<Record<string, number>>;
  readonly bytes: number;
  readonly seconds: number;
  /** False when detect's reports did not cover the take (its events topic is then absent). */
  readonly detectEvents: boolean;
}

const LIBRARY = "rigwatch export (@mcap/core)";
/** Calibration frames are sent again every second, so a reader that seeks still places every frame. */
const CALIBRATION_EVERY_S = 1;

/**
 * `rigwatch export` of one take: an indexed, chunked, zstd MCAP with Foxglove's well-known schemas
 * (protobuf, the schema in the file). One pass over the file, in camera order: the OT samples due
 * before each tick (poses and body frames), then the tick's images, then the live alarms the tick
 * raised; detect's events at the time of their first frame. The live detectors see the whole take
 * whatever the window, so the alarms are those of the take; only what falls in the window is written.
 * Memory: a tick's frames and one MCAP chunk.
 */
export async function exportEpisode(path: string, options: ExportOptions): Promise<ExportResult> {
  const started = performance.now();
  const reader = await EpisodeReader.open(path);
  try {
    return await exportOpen(reader, options, started);
  } finally {
    reader.close();
  }
}

async function exportOpen(
  reader: EpisodeReader,
  options: ExportOptions,
  started: number,
): Promise<ExportResult> {
  const { config } = options;
  const ts = reader.timestamps();
  const T = reader.frameCount;
  if (T === 0) throw new ExportError(reader.path, "the take has no camera frames");
  const t0 = ts[0] as number;
  // Without a window, OT samples before the first tick and after the last are the take's too.
  const from = options.fromS === undefined ? Number.NEGATIVE_INFINITY : t0 + options.fromS;
  const to = options.toS === undefined ? Number.POSITIVE_INFINITY : t0 + options.toS;
  if (!(from <= to))
    throw new ExportError(reader.path, `--from ${options.fromS} is after --to ${options.toS}`);
  const inWindow = (t: number) => t >= from && t <= to;
  let total = 0;
  for (let k = 0; k < T; k++) if (inWindow(ts[k] as number)) total++;
  if (total === 0)
    throw new ExportError(
      reader.path,
      `no camera frame between ${options.fromS ?? 0} s and ${options.toS} s (the take lasts ${((ts[T - 1] as number) - t0).toFixed(2)} s)`,
    );

  const calibration = loadCalibration(
    config.previews.calibrationDir || BUILT_IN_CALIBRATION,
    reader.metadata.realsenseSerials,
  );
  const calibrationFrames = rigTransforms(calibration);
  const depthCams = CAMERA_STREAMS.filter((cam) => reader.hasDepth(cam));
  const size = { width: reader.width, height: reader.height };

  const file = await McapFileWriter.create({
    path: options.out,
    zstdLevel: config.export.zstdLevel,
    chunkBytes: config.export.chunkBytes,
    library: LIBRARY,
  });
  const counts: Record<string, number> = {};
  try {
    const schemas = {
      image: foxgloveSchema("CompressedImage"),
      raw: foxgloveSchema("RawImage"),
      pose: foxgloveSchema("PoseInFrame"),
      tf: foxgloveSchema("FrameTransforms"),
      log: foxgloveSchema("Log"),
    };
    const send = async (
      topic: string,
      schema: (typeof schemas)[keyof typeof schemas],
      t: number,
      message: object,
    ) => {
      const channel = await file.channel(topic, schema);
      await file.write(channel, toNanoseconds(t), schema.type.encode(message).finish());
      counts[topic] = (counts[topic] ?? 0) + 1;
    };
    const log = (topic: string, entry: LogEntry) => send(topic, schemas.log, entry.t, logMessage(entry));

    await file.metadata("rigwatch.episode", {
      key: options.key,
      source: reader.path,
      task: reader.metadata.task,
      created_at: reader.metadata.createdAt,
      fps: String(reader.metadata.fps),
      frames: String(T),
      realsense_serials: reader.metadata.realsenseSerials.join(","),
      gelsight_serials: reader.metadata.gelsightSerials.join(","),
      ...(options.findings ? { trim_offset: String(options.findings.trimOffset) } : {}),
    });

    const events = options.findings
      ? detectLogEntries(options.findings, ts).filter((e) => inWindow(e.t))
      : [];
    let nextEvent = 0;
    const eventsUpTo = async (t: number) => {
      for (; nextEvent < events.length && (events[nextEvent] as LogEntry).t <= t; nextEvent++)
        await log(exportTopics.events, events[nextEvent] as LogEntry);
    };
    const replay = new AlarmReplay(config, reader.metadata.fps);
    const alarms = async () => {
      for (const alarm of replay.drain())
        if (inWindow(alarm.t)) await log(exportTopics.alarms, alarmLogEntry(alarm));
    };
    let lastSampleT = Number.NEGATIVE_INFINITY;
    const pose = async (sample: PoseSample) => {
      lastSampleT = Math.max(lastSampleT, sample.t);
      replay.push({ type: "pose", sample });
      if (!inWindow(sample.t)) return;
      const [x, y, z] = sample.position;
      const [qx, qy, qz, qw] = sample.quaternion;
      const position = { x, y, z };
      const orientation = { x: qx, y: qy, z: qz, w: qw };
      const timestamp = toProtoTimestamp(sample.t);
      // The pose as recorded, invalid samples included; the frame tree only from usable ones.
      await send(exportTopics.pose(sample.body), schemas.pose, sample.t, {
        timestamp,
        frame_id: MOCAP_FRAME,
        pose: { position, orientation },
      });
      if (sample.valid)
        await send(exportTopics.transforms, schemas.tf, sample.t, {
          transforms: [
            {
              timestamp,
              parent_frame_id: MOCAP_FRAME,
              child_frame_id: sample.body,
              translation: position,
              rotation: orientation,
            },
          ],
        });
    };

    const samples = new SampleMerge(
      reader.bodies.map((body) => reader.ot(body)),
      config.detect.invalidQuatNorm,
    );
    // The recorder's episode number, as the live path carries it (none for a file not named episode_NNN.h5).
    const number = episodeNumber(reader.path);
    const episodeField = number === undefined ? {} : { episode: number };
    replay.push({
      type: "episode_start",
      t: Math.min(t0, samples.peekTime()),
      ...episodeField,
      path: reader.path,
    });
    // One buffer per stream, reused every tick: each tick's JPEGs are done before the next read.
    const frames = new Map(IMAGE_STREAMS.map((s) => [s, new Uint8Array(size.width * size.height * 3)]));
    const depths = depthCams.map(() => new Uint16Array(size.width * size.height));
    let lastCalibration = Number.NEGATIVE_INFINITY;
    let done = 0;
    for (let k = 0; k < T; k++) {
      const tk = ts[k] as number;
      while (samples.peekTime() <= tk) await pose(samples.next() as PoseSample);
      await eventsUpTo(tk);

      const exported = inWindow(tk);
      const streams: Partial<Record<StreamName, StreamFrame>> = {};
      for (const stream of IMAGE_STREAMS) {
        const frame = reader.frame(stream, k, frames.get(stream));
        // The live detectors use every stream's hash and the GelSights' thumbnails (contact intensity).
        streams[stream] = stream.startsWith("gel_")
          ? { hash: frameHash(frame), thumb: thumbnail(frame, reader.height, reader.width) }
          : { hash: frameHash(frame) };
      }
      replay.push({ type: "tick", tick: { frame: k, t: tk, streams } });
      if (exported) {
        // JPEG encoding runs on libvips' threads while this one reads the depth frames.
        const jpegs = Promise.all(
          IMAGE_STREAMS.map((stream) =>
            encodeJpeg(frames.get(stream) as Uint8Array, size, {
              quality: config.export.jpegQuality,
              bgr: !stream.startsWith("gel_"),
            }),
          ),
        );
        depthCams.forEach((cam, i) => reader.depth(cam, k, depths[i]));
        const encoded = await jpegs;
        const timestamp = toProtoTimestamp(tk);
        if (tk - lastCalibration >= CALIBRATION_EVERY_S) {
          lastCalibration = tk;
          await send(exportTopics.transforms, schemas.tf, tk, {
            transforms: calibrationFrames.map((f) => ({ timestamp, ...f })),
          });
        }
        for (const [i, stream] of IMAGE_STREAMS.entries()) {
          const gel = stream.startsWith("gel_");
          await send(
            gel
              ? exportTopics.gel(stream.slice(4) as (typeof TACTILE_SIDES)[number])
              : exportTopics.color(stream as CameraStream),
            schemas.image,
            tk,
            {
              timestamp,
              frame_id: gel
                ? gelFrame(stream.slice(4) as (typeof TACTILE_SIDES)[number])
                : cameraFrame(stream as CameraStream),
              data: encoded[i],
              format: "jpeg",
            },
          );
        }
        for (const [i, cam] of depthCams.entries()) {
          const depth = depths[i] as Uint16Array;
          await send(exportTopics.depth(cam), schemas.raw, tk, {
            timestamp,
            frame_id: cameraFrame(cam),
            width: reader.width,
            height: reader.height,
            encoding: "16UC1",
            step: reader.width * 2,
            data: new Uint8Array(depth.buffer, depth.byteOffset, depth.byteLength),
          });
        }
        done++;
        options.onProgress?.(done, total);
      }
      await alarms();
    }
    for (let sample = samples.next(); sample; sample = samples.next()) await pose(sample);
    await eventsUpTo(Number.POSITIVE_INFINITY);
    replay.push({
      type: "episode_end",
      t: Math.max(ts[T - 1] as number, lastSampleT),
      ...episodeField,
      path: reader.path,
      framesWritten: T,
      framesDropped: 0,
    });
    for (const alarm of replay.end())
      if (inWindow(alarm.t)) await log(exportTopics.alarms, alarmLogEntry(alarm));
    await file.close();
  } catch (error) {
    await file.abort();
    throw error;
  }
  return {
    path: reader.path,
    out: options.out,
    frames: total,
    messages: counts,
    bytes: statSync(options.out).size,
    seconds: (performance.now() - started) / 1000,
    detectEvents: options.findings !== undefined,
  };
}
