import { closeSync, fsyncSync, openSync, readSync, writeSync } from "node:fs";

/** Records gathered per write: fewer, larger writes; 32 thumbnails are 1.5 MB. */
const BATCH = 32;

/**
 * Appends fixed-size records (thumbnails) to a new file through a batch buffer: the caller fills
 * `slot` in place (a kernel writes its output straight there) and calls `advance`. `finish` flushes
 * and fsyncs; nothing of the file is kept in memory beyond one batch, however long the take.
 */
export class RecordWriter {
  readonly #fd: number;
  readonly #batch: Uint8Array;
  #inBatch = 0;
  #count = 0;

  constructor(
    readonly path: string,
    readonly recordBytes: number,
  ) {
    this.#fd = openSync(path, "w");
    this.#batch = new Uint8Array(BATCH * recordBytes);
  }

  /** Records written so far (including the ones still in the batch). */
  get count(): number {
    return this.#count;
  }

  /** Where the next record goes; `advance` once it is filled. */
  get slot(): Uint8Array {
    return this.#batch.subarray(this.#inBatch * this.recordBytes, (this.#inBatch + 1) * this.recordBytes);
  }

  /** Keeps the record in `slot`; returns its index. */
  advance(): number {
    if (++this.#inBatch === BATCH) this.#flush();
    return this.#count++;
  }

  /** Flushes, fsyncs and closes. */
  finish(): void {
    this.#flush();
    fsyncSync(this.#fd);
    closeSync(this.#fd);
  }

  /** Closes without flushing (the caller discards the file). */
  abandon(): void {
    closeSync(this.#fd);
  }

  #flush(): void {
    if (this.#inBatch > 0) writeSync(this.#fd, this.#batch, 0, this.#inBatch * this.recordBytes);
    this.#inBatch = 0;
  }
}

/** Reads fixed-size records of a file written by RecordWriter, by index. */
export class RecordReader {
  readonly #fd: number;

  constructor(
    readonly path: string,
    readonly recordBytes: number,
    /** Records in the file (from the evidence's header: the file's size is checked on open). */
    readonly count: number,
  ) {
    this.#fd = openSync(path, "r");
  }

  /** Records first … first + n − 1, copied into `out` (n · recordBytes long). */
  read(first: number, out: Uint8Array): Uint8Array {
    const n = out.length / this.recordBytes;
    if (!(Number.isInteger(n) && first >= 0 && first + n <= this.count))
      throw new RangeError(`${this.path}: records ${first}..${first + n - 1} outside 0..${this.count - 1}`);
    let done = 0;
    while (done < out.length) {
      const got = readSync(this.#fd, out, done, out.length - done, first * this.recordBytes + done);
      if (got === 0) throw new RangeError(`${this.path}: ends before record ${first + n - 1}`);
      done += got;
    }
    return out;
  }

  close(): void {
    closeSync(this.#fd);
  }
}
