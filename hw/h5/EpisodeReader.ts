import { closeSync, openSync, readSync, statSync } from "node:fs";
import type { Dataset, Group, File as H5File } from "h5wasm/node";
import { THUMB_SIDE } from "../../detectors/image/thumbnail.js";
import type { CameraStream, Side, StreamName } from "../../detectors/samples.js";
import { EpisodeError, failureCode, systemErrorCode } from "./errors.js";
import { FrameReader } from "./FrameReader.js";
import { innermostCause } from "./hdf5Message.js";
import {
  depthPath,
  IMAGE_STREAMS,
  imagePath,
  METADATA,
  OT_BODIES,
  otPosePath,
  otTimestampsPath,
  TIMESTAMPS,
} from "./layout.js";
import type { OtStream } from "./OtStream.js";
import { plausibleOtSamples } from "./plausibleOtSamples.js";
import { AVAILABLE_FILTERS, type H5, type H5Module, h5Module, isAborted, loadH5 } from "./runtime.js";

export interface EpisodeMetadata {
  readonly fps: number;
  readonly task: string;
  readonly createdAt: string;
  readonly realsenseSerials: readonly string[];
  readonly gelsightSerials: readonly string[];
}

/**
 * A recorder episode file, validated on open. Images are read one frame at a time (one chunk), never
 * a whole dataset, so memory stays bounded whatever the take's length.
 */
export class EpisodeReader {
  private readonly frameReaders = new Map<string, FrameReader>();
  /** The wasm instance the file is open in (an aborted one is never called again). */
  private readonly module: H5Module = h5Module();
  private cameraSpan: readonly [number, number] | undefined;

  private constructor(
    readonly path: string,
    private readonly file: H5File,
    readonly frameCount: number,
    readonly height: number,
    readonly width: number,
    readonly metadata: EpisodeMetadata,
    readonly bodies: readonly string[],
    private readonly images: ReadonlyMap<StreamName, Dataset>,
  ) {}

  /** Opens and validates the layout; throws `EpisodeError` naming the file and dataset. */
  static async open(path: string): Promise<EpisodeReader> {
    const h5 = await loadH5();
    const file = openFile(h5, path);
    try {
      return EpisodeReader.validate(h5, path, file);
    } catch (error) {
      file.close();
      throw error;
    }
  }

  private static validate(h5: H5, path: string, file: H5File): EpisodeReader {
    const timestamps = requireDataset(h5, file, path, TIMESTAMPS);
    const tsShape = timestamps.shape ?? [];
    if (tsShape.length !== 1)
      throw new EpisodeError("bad_shape", path, TIMESTAMPS, `expected [T], found [${tsShape}]`);
    requireFloat64(timestamps, path, TIMESTAMPS);

    const images = new Map<StreamName, Dataset>();
    const counts: string[] = [];
    let height = 0;
    let width = 0;
    for (const stream of IMAGE_STREAMS) {
      const name = imagePath(stream);
      const dataset = requireDataset(h5, file, path, name);
      const shape = dataset.shape ?? [];
      if (shape.length !== 4 || shape[3] !== 3) {
        throw new EpisodeError("bad_shape", path, name, `expected [T, H, W, 3], found [${shape}]`);
      }
      if (dataset.dtype !== "<B" && dataset.dtype !== "|u1" && dataset.dtype !== ">B") {
        throw new EpisodeError("bad_dtype", path, name, `expected uint8, found ${String(dataset.dtype)}`);
      }
      requireFilters(dataset, path, name);
      [, height = 0, width = 0] = shape;
      counts.push(`${name}=${shape[0]}`);
      images.set(stream, dataset);
    }
    const frameCount = tsShape[0] as number;
    const frameCounts = [...images.values()].map((d) => (d.shape as number[])[0]);
    if (frameCounts.some((n) => n !== frameCount)) {
      throw new EpisodeError(
        "frame_count_mismatch",
        path,
        undefined,
        `timestamps=${frameCount}, ${counts.join(", ")}`,
      );
    }
    const sizes = [...images.values()].map((d) => `${(d.shape as number[])[1]}x${(d.shape as number[])[2]}`);
    if (new Set(sizes).size > 1) {
      throw new EpisodeError("bad_shape", path, undefined, `image sizes differ: ${sizes.join(", ")}`);
    }
    // Every metric works on the 128×128 thumbnail, an area average that only exists on a downscale.
    if (Math.min(height, width) < THUMB_SIDE)
      throw new EpisodeError(
        "bad_shape",
        path,
        imagePath("cam0"),
        `frames of ${height}×${width} are smaller than the ${THUMB_SIDE}×${THUMB_SIDE} thumbnail every metric reads`,
      );

    const bodies: string[] = [];
    for (const body of OT_BODIES) {
      const ts = requireDataset(h5, file, path, otTimestampsPath(body));
      const pose = requireDataset(h5, file, path, otPosePath(body));
      const n = (ts.shape ?? [])[0] ?? 0;
      const poseShape = pose.shape ?? [];
      if ((ts.shape ?? []).length !== 1) {
        throw new EpisodeError(
          "bad_shape",
          path,
          otTimestampsPath(body),
          `expected [N], found [${ts.shape}]`,
        );
      }
      if (poseShape.length !== 2 || poseShape[1] !== 7 || poseShape[0] !== n) {
        throw new EpisodeError(
          "bad_shape",
          path,
          otPosePath(body),
          `expected [${n}, 7], found [${poseShape}]`,
        );
      }
      requireFloat64(ts, path, otTimestampsPath(body));
      requireFloat64(pose, path, otPosePath(body));
      bodies.push(body);
    }
    const metadata = readMetadata(h5, file, path);
    // Checked last: a structural fault is the more important thing to say about a file.
    if (frameCount === 0)
      throw new EpisodeError(
        "no_frames",
        path,
        TIMESTAMPS,
        "the take holds no frames (the recorder wrote none)",
      );
    return new EpisodeReader(path, file, frameCount, height, width, metadata, bodies, images);
  }

  /** HDF5 filter ids of the image datasets (deflate 1, shuffle 2, LZF 32000, BLOSC 32001, …). */
  imageFilters(): number[] {
    return [...new Set([...this.images.values()].flatMap((d) => d.filters.map((f) => f.id)))].sort(
      (a, b) => a - b,
    );
  }

  /** Camera tick timestamps (Unix seconds), length T. */
  timestamps(): Float64Array {
    return this.readAll(TIMESTAMPS) as Float64Array;
  }

  /** A body's OT samples in file order, less the ones whose time cannot be right (`implausible`). */
  ot(body: string): OtStream {
    const n = (this.dataset(otTimestampsPath(body)).shape ?? [0])[0] ?? 0;
    if (n === 0) return { body, timestamps: new Float64Array(0), pose: new Float64Array(0), implausible: 0 };
    return plausibleOtSamples(
      {
        body,
        timestamps: this.readAll(otTimestampsPath(body)) as Float64Array,
        pose: this.readAll(otPosePath(body)) as Float64Array,
      },
      this.span(),
    );
  }

  /**
   * Frame `index` of an image stream: H×W×3 uint8 in the file's byte order (BGR cameras, RGB gel),
   * written into `out` when given (hot loops reuse their buffers), else into a new array.
   */
  frame(stream: StreamName, index: number, out?: Uint8Array): Uint8Array {
    return this.frameReader(imagePath(stream), this.images.get(stream) as Dataset).read(index, out);
  }

  /** Like `frame`, without the copy: valid only until the next read (see FrameReader.view). */
  frameView(stream: StreamName, index: number): Uint8Array {
    return this.frameReader(imagePath(stream), this.images.get(stream) as Dataset).view(index);
  }

  /** Depth frame `index` of a camera: H×W uint16 millimetres, written into `out` when given. */
  depth(cam: CameraStream, index: number, out?: Uint16Array): Uint16Array {
    const name = depthPath(cam);
    const into = out && new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
    const bytes = this.frameReader(name, this.dataset(name)).read(index, into);
    return new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);
  }

  /** Whether the file has a camera's depth stream, one frame per tick (the layout does not require it). */
  hasDepth(cam: CameraStream): boolean {
    try {
      const shape = (this.file.get(depthPath(cam)) as Dataset | null)?.shape ?? [];
      return shape.length === 3 && shape[0] === this.frameCount;
    } catch {
      return false;
    }
  }

  gel(side: Side, index: number, out?: Uint8Array): Uint8Array {
    return this.frame(`gel_${side}`, index, out);
  }

  color(cam: CameraStream, index: number, out?: Uint8Array): Uint8Array {
    return this.frame(cam, index, out);
  }

  close(): void {
    for (const reader of this.frameReaders.values()) reader.close();
    this.frameReaders.clear();
    // An aborted instance is never called again; its memory goes with it.
    if (!isAborted(this.module)) this.file.close();
  }

  /** First and last finite camera times (the OT plausibility window hangs on them). */
  private span(): readonly [number, number] {
    if (!this.cameraSpan) {
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (const t of this.timestamps())
        if (Number.isFinite(t)) {
          lo = Math.min(lo, t);
          hi = Math.max(hi, t);
        }
      this.cameraSpan = [lo, hi];
    }
    return this.cameraSpan;
  }

  private frameReader(name: string, dataset: Dataset): FrameReader {
    let reader = this.frameReaders.get(name);
    if (!reader) {
      reader = new FrameReader(this.file, this.path, name, dataset, this.frameCount);
      this.frameReaders.set(name, reader);
    }
    return reader;
  }

  private readAll(name: string) {
    try {
      return this.dataset(name).value;
    } catch (error) {
      const cause = innermostCause(String(error));
      throw new EpisodeError(failureCode(String(error), "read_failed"), this.path, name, cause, {
        cause: error,
      });
    }
  }

  private dataset(name: string): Dataset {
    return this.file.get(name) as Dataset;
  }
}

/**
 * Opens through the file system first, so that a file this process may not read, or cannot read for an
 * I/O error, is reported as such (HDF5 would only say it cannot open it, which reads as corrupt).
 */
function openFile(h5: H5, path: string): H5File {
  try {
    if (!statSync(path).isFile()) throw new EpisodeError("not_a_file", path, undefined, "not a regular file");
    const fd = openSync(path, "r");
    try {
      readSync(fd, Buffer.alloc(8), 0, 8, 0);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if (error instanceof EpisodeError) throw error;
    const e = error as NodeJS.ErrnoException;
    const detail = e.code === "ENOENT" ? "no such file" : `cannot be read (${e.code ?? e.message})`;
    throw new EpisodeError(systemErrorCode(e), path, undefined, detail, {
      cause: error,
    });
  }
  try {
    return new h5.File(path, "r");
  } catch (error) {
    const cause = innermostCause(String(error));
    const code = failureCode(String(error), cause.includes("truncated file") ? "truncated" : "open_failed");
    throw new EpisodeError(code, path, undefined, cause, { cause: error });
  }
}

function requireDataset(h5: H5, file: H5File, path: string, name: string): Dataset {
  let entity: unknown;
  try {
    entity = file.get(name);
  } catch (error) {
    const cause = innermostCause(String(error));
    throw new EpisodeError(failureCode(String(error), "read_failed"), path, name, cause, { cause: error });
  }
  if (!(entity instanceof h5.Dataset)) {
    throw new EpisodeError(
      "missing_dataset",
      path,
      name,
      entity ? "expected a dataset, found a group" : "not in the file",
    );
  }
  return entity;
}

function requireFloat64(dataset: Dataset, path: string, name: string) {
  if (dataset.dtype !== "<d" && dataset.dtype !== ">d") {
    throw new EpisodeError("bad_dtype", path, name, `expected float64, found ${String(dataset.dtype)}`);
  }
}

/** Checked before any read: HDF5 would otherwise fail deep inside a read (or, unguarded, return garbage). */
function requireFilters(dataset: Dataset, path: string, name: string) {
  for (const filter of dataset.filters) {
    if (!AVAILABLE_FILTERS.has(filter.id)) {
      throw new EpisodeError(
        "missing_filter",
        path,
        name,
        `HDF5 filter ${filter.id}${filter.name ? ` (${filter.name})` : ""} is not available to rigwatch`,
      );
    }
  }
}

function readMetadata(h5: H5, file: H5File, path: string): EpisodeMetadata {
  const group = file.get(METADATA);
  if (!(group instanceof h5.Group))
    throw new EpisodeError("missing_dataset", path, METADATA, "group not in the file");
  const attrs = (group as Group).attrs;
  const value = (key: string) => attrs[key]?.value;
  const fps = value("fps");
  if (typeof fps !== "bigint" && typeof fps !== "number") {
    throw new EpisodeError(
      "missing_dataset",
      path,
      `${METADATA}@fps`,
      `expected an integer attribute, found ${typeof fps}`,
    );
  }
  const strings = (key: string): string[] => {
    const v = value(key);
    if (v === undefined || v === null) return [];
    return (Array.isArray(v) ? v : [v]).map(String);
  };
  return {
    fps: Number(fps),
    task: String(value("task") ?? ""),
    createdAt: String(value("created_at") ?? ""),
    realsenseSerials: strings("realsense_serials"),
    gelsightSerials: strings("gelsight_serials"),
  };
}
