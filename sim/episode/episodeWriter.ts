import { renameSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { atTime, type H5, loadH5 } from "./h5runtime.js";
import {
  BODIES,
  type Body,
  CAMERAS,
  type Compression,
  colorPath,
  depthPath,
  FILTER_ID,
  GELSIGHT_SERIALS,
  gelPath,
  guessChunk,
  otPosePath,
  otTimesPath,
  REALSENSE_SERIALS,
  SIDES,
  type Side,
} from "./layout.js";

export interface EpisodeHeader {
  readonly task: string;
  readonly fps: number;
  /** ISO time of the take, UTC, no zone suffix (as the recorder writes it). */
  readonly createdAt: string;
  readonly ticks: number;
  readonly height: number;
  readonly width: number;
  readonly compression: Compression;
}

/** The five image streams (three cameras with depth, two gels) of one camera tick. */
export interface TickImages {
  /** Per camera, H×W×3 uint8, BGR. */
  readonly color: readonly Uint8Array[];
  /** Per camera, H×W uint16, millimetres. */
  readonly depth: readonly Uint16Array[];
  /** Per side, H×W×3 uint8, RGB. */
  readonly gel: Readonly<Record<Side, Uint8Array>>;
}

type H5File = InstanceType<H5["File"]>;
type H5Dataset = ReturnType<H5File["create_dataset"]>;

/** Filter arguments for h5wasm's create_dataset; the plugins fill in their own cd_values (typesize, chunk bytes). */
function filterArgs(compression: Compression): {
  compression?: number | "gzip";
  compression_opts?: number[];
} {
  switch (compression) {
    // BLOSC: version slots 0 (set by the filter), clevel 5, byte shuffle, LZ4, as hdf5plugin.Blosc() writes it.
    case "blosc":
      return { compression: FILTER_ID.blosc, compression_opts: [0, 0, 0, 0, 5, 1, 1] };
    case "lzf":
      return { compression: FILTER_ID.lzf, compression_opts: [] };
    case "gzip":
      return { compression: "gzip", compression_opts: [4] };
    case "none":
      return {};
  }
}

/**
 * Writes one episode in the recorder's layout (spec §1), one camera tick at a time: image datasets are
 * created resizable and chunked one frame per chunk, sized to the take, and each tick is written as its
 * own hyperslab, so memory stays at one frame per stream however long the take. The file is written
 * under a temporary name and renamed by commit(), so a reader never sees a half-written episode.
 */
export class EpisodeWriter {
  private readonly color: H5Dataset[];
  private readonly depth: H5Dataset[];
  private readonly gel: Record<Side, H5Dataset>;
  private readonly written: Uint8Array;
  private closed = false;

  private constructor(
    private readonly file: H5File,
    private readonly header: EpisodeHeader,
    private readonly tmpPath: string,
    private readonly finalPath: string,
    private readonly clockMs: number,
  ) {
    const { ticks, height: h, width: w } = header;
    const filters = filterArgs(header.compression);
    this.at(() => {
      // h5wasm does not create intermediate groups; the recorder's tree is fixed, so build it up front.
      for (const group of ["realsense", "gelsight", "optitrack"]) file.create_group(group);
      for (const cam of CAMERAS) file.create_group(`realsense/${cam}`);
      for (const side of SIDES) file.create_group(`gelsight/${side}`);
      for (const body of BODIES) file.create_group(`optitrack/${body}`);
    });
    const image = (path: string, frameShape: number[], dtype: string, empty: ArrayBufferView) =>
      this.at(() => {
        const ds = file.create_dataset({
          name: path,
          data: empty as Uint8Array,
          shape: [0, ...frameShape],
          maxshape: [null, ...frameShape],
          chunks: [1, ...frameShape],
          dtype,
          ...filters,
        });
        ds.resize([ticks, ...frameShape]);
        return ds;
      });
    this.color = CAMERAS.map((cam) => image(colorPath(cam), [h, w, 3], "<B", new Uint8Array(0)));
    this.depth = CAMERAS.map((cam) => image(depthPath(cam), [h, w], "<H", new Uint16Array(0)));
    this.gel = {
      left: image(gelPath("left"), [h, w, 3], "<B", new Uint8Array(0)),
      right: image(gelPath("right"), [h, w, 3], "<B", new Uint8Array(0)),
    };
    this.written = new Uint8Array(ticks);
  }

  static async create(path: string, header: EpisodeHeader): Promise<EpisodeWriter> {
    const h5 = await loadH5();
    const tmpPath = join(dirname(path), `.${basename(path)}.partial`);
    const clockMs = Date.parse(`${header.createdAt}Z`);
    if (Number.isNaN(clockMs)) throw new Error(`bad createdAt ${header.createdAt}`);
    const file = atTime(clockMs, () => new h5.File(tmpPath, "w"));
    const writer = new EpisodeWriter(file, header, tmpPath, path, clockMs);
    writer.writeMetadata();
    return writer;
  }

  private at<T>(fn: () => T): T {
    return atTime(this.clockMs, fn);
  }

  private writeMetadata(): void {
    const { task, fps, createdAt } = this.header;
    this.at(() => {
      const meta = this.file.create_group("metadata");
      // int64 as the recorder's numpy scalar; strings variable-length UTF-8 like h5py writes them.
      meta.create_attribute("fps", new BigInt64Array([BigInt(fps)]), [], "<q");
      meta.create_attribute("task", task, [], "S");
      meta.create_attribute("created_at", createdAt, [], "S");
      meta.create_attribute("realsense_serials", [...REALSENSE_SERIALS], [REALSENSE_SERIALS.length], "S");
      meta.create_attribute("gelsight_serials", [...GELSIGHT_SERIALS], [GELSIGHT_SERIALS.length], "S");
    });
  }

  /** Camera tick times, float64 [T], Unix seconds. */
  writeTimestamps(ts: Float64Array): void {
    if (ts.length !== this.header.ticks)
      throw new Error(`timestamps: ${ts.length} != T ${this.header.ticks}`);
    this.resizable("timestamps", ts, [ts.length]);
  }

  /** One body's OT samples as they arrived: times [N], poses [N,7] row-major (x,y,z,qx,qy,qz,qw). */
  writeOt(body: Body, times: Float64Array, poses: Float64Array): void {
    if (poses.length !== times.length * 7) throw new Error(`${body}: pose rows != timestamps`);
    this.resizable(otTimesPath(body), times, [times.length]);
    this.resizable(otPosePath(body), poses, [times.length, 7]);
  }

  private resizable(path: string, data: Float64Array, shape: number[]): void {
    this.at(() =>
      this.file.create_dataset({
        name: path,
        data,
        shape,
        maxshape: [null, ...shape.slice(1)],
        chunks: guessChunk(shape, 8),
        dtype: "<d",
      }),
    );
  }

  /** Writes every image stream of tick k; buffers must own their whole ArrayBuffer (h5wasm copies .buffer). */
  writeTick(k: number, images: TickImages): void {
    if (k < 0 || k >= this.header.ticks) throw new Error(`tick ${k} outside [0, ${this.header.ticks})`);
    const slice: [number, number][] = [[k, k + 1]];
    this.at(() => {
      CAMERAS.forEach((_, c) => {
        (this.color[c] as H5Dataset).write_slice(slice, images.color[c]);
        (this.depth[c] as H5Dataset).write_slice(slice, images.depth[c]);
      });
      for (const side of SIDES) this.gel[side].write_slice(slice, images.gel[side]);
    });
    this.written[k] = 1;
  }

  /** Closes the file and moves it to its final name; fails if a tick or a body is missing. */
  commit(): void {
    const missing = this.written.indexOf(0);
    if (missing >= 0) throw new Error(`tick ${missing} was never written`);
    const names = new Set(this.at(() => this.file.paths()));
    for (const body of BODIES) {
      if (!names.has(otPosePath(body))) throw new Error(`no OT written for ${body}`);
    }
    if (!names.has("timestamps")) throw new Error("no timestamps written");
    this.close();
    renameSync(this.tmpPath, this.finalPath);
  }

  /** Closes and deletes the temporary file. */
  abort(): void {
    if (!this.closed) this.close();
    rmSync(this.tmpPath, { force: true });
  }

  private close(): void {
    this.at(() => this.file.close());
    this.closed = true;
  }
}
