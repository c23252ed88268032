import { type FileHandle, open, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { McapWriter } from "@mcap/core";
import { FileHandleWritable } from "@mcap/nodejs";
import zstd from "@foxglove/wasm-zstd";
import { atomicTempPath, fsyncDirectory } from "../atomicWrite.js";
import type { FoxgloveSchema } from "./foxgloveSchema.js";

export interface McapFileWriterOptions {
  /** The finished file; nothing is at this path until `close` renames the verified temp file onto it. */
  readonly path: string;
  /** zstd level of each chunk (1 = fastest; JPEG data does not compress, depth does). */
  readonly zstdLevel: number;
  /** Uncompressed bytes per chunk: what the writer holds in memory before compressing and writing. */
  readonly chunkBytes: number;
  /** Header `library`: who wrote the file. */
  readonly library: string;
}

/**
 * An indexed, chunked, zstd-compressed MCAP file written through a hidden temp file beside it:
 * chunks go to disk as they fill, so memory is one chunk plus the indexes whatever the length;
 * `close` writes the summary, fsyncs and renames, so a kill leaves no half file under the real name.
 * Like `McapWriter`, every call must be awaited before the next.
 */
export class McapFileWriter {
  readonly #schemas = new Map<string, number>();
  readonly #channels = new Map<string, number>();
  readonly #sequence = new Map<number, number>();
  #closed = false;

  private constructor(
    private readonly options: McapFileWriterOptions,
    private readonly temp: string,
    private readonly handle: FileHandle,
    private readonly writer: McapWriter,
  ) {}

  static async create(options: McapFileWriterOptions): Promise<McapFileWriter> {
    await zstd.isLoaded;
    const temp = atomicTempPath(options.path);
    const handle = await open(temp, "w");
    const writer = new McapWriter({
      writable: new FileHandleWritable(handle),
      chunkSize: options.chunkBytes,
      compressChunk: (data) => ({
        compression: "zstd",
        compressedData: zstd.compress(data, options.zstdLevel),
      }),
    });
    const file = new McapFileWriter(options, temp, handle, writer);
    try {
      await writer.start({ profile: "", library: options.library });
    } catch (error) {
      await file.abort();
      throw error;
    }
    return file;
  }

  /** The channel of `topic`, registered (with its schema, once per schema) on first use. */
  async channel(
    topic: string,
    schema: FoxgloveSchema,
    metadata: Record<string, string> = {},
  ): Promise<number> {
    const known = this.#channels.get(topic);
    if (known !== undefined) return known;
    let schemaId = this.#schemas.get(schema.name);
    if (schemaId === undefined) {
      schemaId = await this.writer.registerSchema({
        name: schema.name,
        encoding: schema.encoding,
        data: schema.data,
      });
      this.#schemas.set(schema.name, schemaId);
    }
    const id = await this.writer.registerChannel({
      topic,
      schemaId,
      messageEncoding: schema.encoding,
      metadata: new Map(Object.entries(metadata)),
    });
    this.#channels.set(topic, id);
    return id;
  }

  /** One message; log time and publish time are both the source's stamp (ns since the Unix epoch). */
  async write(channelId: number, logTime: bigint, data: Uint8Array): Promise<void> {
    const sequence = this.#sequence.get(channelId) ?? 0;
    this.#sequence.set(channelId, sequence + 1);
    await this.writer.addMessage({ channelId, sequence, logTime, publishTime: logTime, data });
  }

  async metadata(name: string, values: Record<string, string>): Promise<void> {
    await this.writer.addMetadata({ name, metadata: new Map(Object.entries(values)) });
  }

  /** Writes the summary and the indexes, then fsync and rename onto the real name. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.writer.end();
      await this.handle.sync();
      await this.handle.close();
      await rename(this.temp, this.options.path);
    } catch (error) {
      await this.handle.close().catch(() => undefined);
      await rm(this.temp, { force: true });
      throw error;
    }
    fsyncDirectory(dirname(this.options.path));
  }

  /** Drops the temp file: the real name keeps whatever it had before. */
  async abort(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.handle.close().catch(() => undefined);
    await rm(this.temp, { force: true });
  }
}
