import type { Dataset, File as H5File } from "h5wasm/node";
import { EpisodeError, failureCode } from "./errors.js";
import { innermostCause } from "./hdf5Message.js";
import { type H5Module, h5Module, isAborted } from "./runtime.js";

/**
 * Reads one frame (one chunk) of an image dataset into a caller's buffer through h5wasm's module API.
 * `Dataset.slice` re-reads the dataset's metadata and allocates and frees a wasm buffer on every
 * call, which costs 3–4× the decompression itself at 480×640×3; this keeps one wasm buffer per
 * dataset. Relies on `Module.get_dataset_data` of the pinned h5wasm 0.8.11.
 */
export class FrameReader {
  private pointer: number;
  private readonly count: bigint[];
  private readonly strides: bigint[];
  readonly frameBytes: number;
  /** The wasm instance the buffer lives in: an aborted one is never called again. */
  private readonly module: H5Module = h5Module();

  constructor(
    private readonly file: H5File,
    private readonly filePath: string,
    private readonly name: string,
    private readonly dataset: Dataset,
    readonly frameCount: number,
  ) {
    const shape = dataset.shape as number[];
    const metadata = dataset.metadata;
    this.frameBytes = shape.slice(1).reduce((a, b) => a * b, 1) * metadata.size;
    this.count = [1n, ...shape.slice(1).map(BigInt)];
    this.strides = shape.map(() => 1n);
    this.pointer = this.module._malloc(this.frameBytes);
    if (!this.pointer) throw new RangeError(`cannot allocate ${this.frameBytes} bytes in the wasm heap`);
  }

  /** Frame `index` as raw bytes, copied into `out` (a new buffer when omitted). */
  read(index: number, out: Uint8Array = new Uint8Array(this.frameBytes)): Uint8Array {
    if (out.byteLength !== this.frameBytes)
      throw new RangeError(`buffer of ${out.byteLength} bytes, frame has ${this.frameBytes}`);
    out.set(this.view(index));
    return out;
  }

  /**
   * Frame `index` without a copy: a view of the wasm heap, valid only until the next read of any
   * dataset of any file (a read may grow and move the heap). For a frame used at once and dropped.
   */
  view(index: number): Uint8Array {
    if (!Number.isInteger(index) || index < 0 || index >= this.frameCount) {
      throw new RangeError(
        `${this.filePath} [${this.name}]: frame ${index} outside 0..${this.frameCount - 1}`,
      );
    }
    const module = this.module;
    if (isAborted(module))
      throw new EpisodeError(
        "read_failed",
        this.filePath,
        this.name,
        `frame ${index}: not read, the decoder crashed on an earlier chunk of this file`,
      );
    const offset = [BigInt(index), ...this.count.slice(1).map(() => 0n)];
    try {
      module.get_dataset_data(
        this.file.file_id,
        this.dataset.path,
        this.count,
        offset,
        this.strides,
        BigInt(this.pointer),
      );
    } catch (error) {
      // A decoder that aborts the wasm instance on a damaged chunk says so on stderr: keep the first line.
      const cause = innermostCause(String(error)).split("\n")[0] as string;
      throw new EpisodeError(
        failureCode(String(error), "read_failed"),
        this.filePath,
        this.name,
        `frame ${index}: ${isAborted(module) ? `the decoder crashed on it (${cause.slice(0, 120)})` : cause}`,
        { cause: error },
      );
    }
    // The heap may have grown (and moved) since the last read: take the view now.
    return module.HEAPU8.subarray(this.pointer, this.pointer + this.frameBytes);
  }

  close(): void {
    if (this.pointer && !isAborted(this.module)) this.module._free(this.pointer);
    this.pointer = 0;
  }
}
