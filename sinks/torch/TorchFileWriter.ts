/**
 * Writes a PyTorch `.pt` file (the zip container torch.save writes since 1.6) without holding the
 * tensors in memory: each tensor's bytes stream into its own `archive/data/<key>` entry, and the
 * pickled object (`archive/data.pkl`, which refers to those entries) is written last, when every value
 * is known. The central directory lists entries in torch's order (data.pkl, byteorder, data/…,
 * version), so readers that take the first entry's folder as the archive name see what torch writes.
 *
 * Atomic: everything goes to a hidden temp file in the target's folder; `finish` fsyncs and renames
 * it into place, `abort` (or any failure inside `finish`) removes it. Usage:
 *
 *   const pt = TorchFileWriter.create(path);
 *   try {
 *     const views = pt.beginTensor("uint8", [T, 3, 128, 128]);
 *     for (…) views.write(frameBytes);
 *     pt.finish({ view: views.end(), n: 3n });
 *   } catch (e) { pt.abort(); throw e; }
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync } from "node:fs";
import { endianness } from "node:os";
import { dirname } from "node:path";
import { atomicTempPath, fsyncDirectory } from "../atomicWrite.js";
import { TorchWriteError } from "./errors.js";
import { pickle } from "./pickle.js";
import type { PyValue } from "./pyValues.js";
import { elementCount, TORCH_DTYPES, type TorchDtype, TorchTensor } from "./TorchTensor.js";
import { ZipStreamWriter, type ZipWriterOptions } from "./ZipStreamWriter.js";

/** Folder every entry sits in; torch.load takes whatever the first entry's folder is. */
const ARCHIVE = "archive";
/** `archive/version`: the container format version torch 1.6+ writes. */
const FORMAT_VERSION = "3\n";

/** Typed arrays whose bytes are written as they are in memory: little-endian hosts only. */
export type TensorData = Uint8Array | Float32Array | Float64Array | BigInt64Array;

/** One tensor being streamed: exactly numel × element size bytes, then `end()`. */
export interface TensorStream {
  write(data: TensorData): void;
  /** The tensor, to be placed in the object passed to `finish`. */
  end(): TorchTensor;
}

export class TorchFileWriter {
  private readonly zip: ZipStreamWriter;
  private nextKey = 0;
  private streaming = false;
  private state: "open" | "finished" | "aborted" = "open";

  private constructor(
    readonly path: string,
    private readonly tempPath: string,
    private fd: number,
    options: ZipWriterOptions,
  ) {
    this.zip = new ZipStreamWriter(fd, options);
  }

  /** Opens the temp file beside `path` (the folder must exist). */
  static create(path: string, options: ZipWriterOptions = {}): TorchFileWriter {
    if (endianness() !== "LE") throw new TorchWriteError(path, "tensor data is written little-endian only");
    const temp = atomicTempPath(path);
    let fd: number;
    try {
      fd = openSync(temp, "w");
    } catch (error) {
      throw new TorchWriteError(path, `cannot create ${temp}: ${(error as Error).message}`, { cause: error });
    }
    return new TorchFileWriter(path, temp, fd, options);
  }

  /** Bytes written so far (the temp file's size once flushed). */
  get bytesWritten(): number {
    return this.zip.bytesWritten;
  }

  /** Starts streaming a contiguous tensor of `shape`; one tensor at a time. */
  beginTensor(dtype: TorchDtype, shape: readonly number[]): TensorStream {
    this.requireOpen();
    if (this.streaming) throw new TorchWriteError(this.path, "a tensor is still being written");
    if (!(dtype in TORCH_DTYPES)) throw new TorchWriteError(this.path, `unsupported dtype ${String(dtype)}`);
    if (shape.some((d) => !Number.isSafeInteger(d) || d < 0))
      throw new TorchWriteError(this.path, `bad tensor shape [${shape.join(", ")}]`);
    const tensor = new TorchTensor(String(this.nextKey++), dtype, [...shape]);
    const bytes = elementCount(shape) * TORCH_DTYPES[dtype].bytes;
    this.zip.beginEntry(`${ARCHIVE}/data/${tensor.storageKey}`, bytes);
    this.streaming = true;
    return {
      write: (data) => {
        if (!isDtypeArray(data, dtype))
          throw new TorchWriteError(this.path, `${data.constructor.name} written to a ${dtype} tensor`);
        this.typed(() => this.zip.write(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)));
      },
      end: () => {
        this.typed(() => this.zip.endEntry());
        this.streaming = false;
        return tensor;
      },
    };
  }

  /** A whole tensor from memory (small ones: poses, metrics, reference images). */
  tensor(dtype: TorchDtype, shape: readonly number[], data: TensorData): TorchTensor {
    const stream = this.beginTensor(dtype, shape);
    stream.write(data);
    return stream.end();
  }

  /** Writes data.pkl (the pickle of `root`), byteorder and version, the directory; fsync, rename. */
  finish(root: PyValue): void {
    this.requireOpen();
    if (this.streaming) throw new TorchWriteError(this.path, "a tensor is still being written");
    try {
      const data = pickle(root);
      this.zip.addEntry(`${ARCHIVE}/data.pkl`, data);
      this.zip.addEntry(`${ARCHIVE}/byteorder`, new TextEncoder().encode("little"));
      this.zip.addEntry(`${ARCHIVE}/version`, new TextEncoder().encode(FORMAT_VERSION));
      const storages = Array.from({ length: this.nextKey }, (_, k) => `${ARCHIVE}/data/${k}`);
      this.zip.finish([`${ARCHIVE}/data.pkl`, `${ARCHIVE}/byteorder`, ...storages, `${ARCHIVE}/version`]);
      fsyncSync(this.fd);
      closeSync(this.fd);
      this.fd = -1;
      renameSync(this.tempPath, this.path);
    } catch (error) {
      this.abort();
      throw error instanceof TorchWriteError
        ? error
        : new TorchWriteError(this.path, (error as Error).message, { cause: error });
    }
    this.state = "finished";
    fsyncDirectory(dirname(this.path));
  }

  /** Drops the temp file; the target is untouched. Safe to call more than once. */
  abort(): void {
    if (this.state !== "open") return;
    this.state = "aborted";
    if (this.fd >= 0) {
      try {
        closeSync(this.fd);
      } catch {
        // Already closed by a failed finish: nothing left to release.
      }
      this.fd = -1;
    }
    rmSync(this.tempPath, { force: true });
  }

  /** Zip-level failures (byte counts, I/O) surface as TorchWriteError naming the target. */
  private typed(action: () => void) {
    try {
      action();
    } catch (error) {
      throw new TorchWriteError(this.path, (error as Error).message, { cause: error });
    }
  }

  private requireOpen() {
    if (this.state !== "open") throw new TorchWriteError(this.path, `writer already ${this.state}`);
  }
}

function isDtypeArray(data: TensorData, dtype: TorchDtype): boolean {
  switch (dtype) {
    case "uint8":
      return data instanceof Uint8Array;
    case "float32":
      return data instanceof Float32Array;
    case "float64":
      return data instanceof Float64Array;
    case "int64":
      return data instanceof BigInt64Array;
  }
}
