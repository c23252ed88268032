import { existsSync, statSync } from "node:fs";
import type { Dataset, Group, File as H5File } from "h5wasm/node";
import type { CameraStream, Side, StreamName } from "../../detectors/samples.js";
import { EpisodeError } from "./errors.js";
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
import { AVAILABLE_FILTERS, type H5, loadH5 } from "./runtime.js";

export interface EpisodeMetadata {
  readonly fps: number;
  readonly task: string;
  readonly createdAt: string;
  readonly realsenseSerials: readonly string[];
  readonly gelsightSerials: readonly string[];
}

/** One body's OT stream: only the samples that arrived; N may be 0. */
export interface OtStream {
  readonly body: string;
  readonly timestamps: Float64Array;
  /** N×7 row-major: x, y, z, qx, qy, qz, qw. */
  readonly pose: Float64Array;
}

/**
 * A recorder episode file, validated on open. Images are read one frame at a time (one chunk), never
 * a whole dataset, so memory stays bounded whatever the take's length.
 */
export class EpisodeReader {
  private readonly frameReaders = new Map<string, FrameReader>();

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
    return new EpisodeReader(path, file, frameCount, height, width, metadata, bodies, images);
  }

  /** Camera tick timestamps (Unix seconds), length T. */
  timestamps(): Float64Array {
    return this.readAll(TIMESTAMPS) as Float64Array;
  }

  ot(body: string): OtStream {
    const n = (this.dataset(otTimestampsPath(body)).shape ?? [0])[0] ?? 0;
    if (n === 0) return { body, timestamps: new Float64Array(0), pose: new Float64Array(0) };
    return {
      body,
      timestamps: this.readAll(otTimestampsPath(body)) as Float64Array,
      pose: this.readAll(otPosePath(body)) as Float64Array,
    };
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
    this.file.close();
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
      throw new EpisodeError("read_failed", this.path, name, innermostCause(String(error)));
    }
  }

  private dataset(name: string): Dataset {
    return this.file.get(name) as Dataset;
  }
}

function openFile(h5: H5, path: string): H5File {
  if (!existsSync(path)) throw new EpisodeError("open_failed", path, undefined, "no such file");
  if (!statSync(path).isFile()) throw new EpisodeError("open_failed", path, undefined, "not a regular file");
  try {
    return new h5.File(path, "r");
  } catch (error) {
    const cause = innermostCause(String(error));
    const code = cause.includes("truncated file") ? "truncated" : "open_failed";
    throw new EpisodeError(code, path, undefined, cause);
  }
}

function requireDataset(h5: H5, file: H5File, path: string, name: string): Dataset {
  let entity: unknown;
  try {
    entity = file.get(name);
  } catch (error) {
    throw new EpisodeError("read_failed", path, name, innermostCause(String(error)));
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
