import { closeSync, openSync, writeSync } from "node:fs";
import { promisify } from "node:util";
import { deflate } from "node:zlib";
import type { File as H5File } from "h5wasm/node";
import { encodeChunkBTree, type StoredChunk } from "./chunkBTree.js";
import {
  EOF_ADDRESS_AT,
  readClassicFile,
  UNDEFINED_ADDRESS,
  UnexpectedFormatError,
} from "./classicFormat.js";
import type { DatasetPlan } from "./datasetPlan.js";
import { COPY_POISON, decodeSlab } from "./decodeSlab.js";
import { fromSource, rowsLabel } from "./fromSource.js";
import { openFileOf } from "./slabIo.js";
import type { WasmBuffer } from "./WasmBuffer.js";
import { assertFits } from "./copyDataset.js";

const deflateAsync = promisify(deflate);
/** Chunks being deflated on libuv's thread pool while the next one is decoded. */
const IN_FLIGHT = 2;

/**
 * Whether the stage places this dataset's chunks itself: chunked, with chunks spanning every axis but
 * the first (every recorder dataset), so a chunk is a run of whole rows. Others are written by HDF5.
 */
export function placeable(plan: DatasetPlan): boolean {
  const { chunks, shape } = plan;
  return chunks !== null && (shape[0] ?? 0) > 0 && chunks.every((c, d) => d === 0 || c === shape[d]);
}

export interface PlaceChunksOptions {
  readonly src: H5File;
  /** The copy, written by h5wasm with these datasets created (deflate at `level`) but no chunk stored, and closed. */
  readonly tempPath: string;
  readonly plans: readonly DatasetPlan[];
  readonly level: number;
  readonly buffer: WasmBuffer;
  /** Called when a dataset is complete (its index written). */
  readonly onDataset: (plan: DatasetPlan) => void;
  /** Called before each dataset, so a failure can name it. */
  readonly onStart: (plan: DatasetPlan) => void;
}

/**
 * Stores the chunks of `plans` in the closed copy without HDF5: each row of chunks is decoded from the
 * source by HDF5 (h5wasm, poisoned like every copy-pass read), deflated by Node's zlib (native, on
 * libuv's thread pool, so the next decode overlaps it) at the level the copy's filter pipeline
 * records, and appended to the file; then the dataset's chunk B-tree is appended and its layout
 * message pointed at it, and finally the superblock's end-of-file address. The result is what HDF5's
 * own deflate filter would have stored; the copy is then read back through HDF5 and verified.
 */
export async function placeChunks(options: PlaceChunksOptions): Promise<void> {
  const { src, tempPath, plans, level, buffer, onDataset, onStart } = options;
  const fd = openSync(tempPath, "r+");
  try {
    const file = readClassicFile(fd);
    let eof = file.eof;
    const append = (bytes: Uint8Array): number => {
      const at = eof;
      for (let done = 0; done < bytes.length;)
        done += writeSync(fd, bytes, done, bytes.length - done, at + done);
      eof += bytes.length;
      return at;
    };
    const source = openFileOf(src);
    for (const plan of plans) {
      onStart(plan);
      const layout = file.layouts.get(plan.path);
      const dims = [...(plan.chunks as number[]), plan.metadata.size];
      if (
        layout === undefined ||
        layout.address !== UNDEFINED_ADDRESS ||
        layout.dims.join() !== dims.join()
      ) {
        throw new UnexpectedFormatError(
          `${plan.path}: the copy's layout is not an empty chunked one of ${dims.join("×")}`,
        );
      }
      const chunkRows = dims[0] as number;
      const chunkBytes = chunkRows * plan.rowBytes;
      const pointer = buffer.reserve(chunkBytes);
      const rows = plan.shape[0] as number;
      const stored: StoredChunk[] = [];
      const pending: { start: number; deflated: Promise<Buffer> }[] = [];
      const settle = async () => {
        const next = pending.shift() as { start: number; deflated: Promise<Buffer> };
        const bytes = await next.deflated;
        stored.push({
          offset: plan.shape.map((_, d) => (d === 0 ? next.start : 0)),
          address: append(bytes),
          size: bytes.length,
        });
      };
      try {
        for (let start = 0; start < rows; start += chunkRows) {
          const count = Math.min(chunkRows, rows - start);
          fromSource(plan.path, rowsLabel(start, count), () =>
            decodeSlab(source, plan, start, count, pointer, COPY_POISON),
          );
          assertFits(plan, buffer.view(count * plan.rowBytes), start);
          // A chunk past the data's end is stored whole; its unused rows hold the fill value (0).
          const used = count * plan.rowBytes;
          const chunk = Buffer.allocUnsafe(chunkBytes);
          chunk.set(buffer.view(used));
          chunk.fill(0, used);
          pending.push({ start, deflated: deflateAsync(chunk, { level }) });
          if (pending.length >= IN_FLIGHT) await settle();
        }
        while (pending.length > 0) await settle();
      } catch (error) {
        for (const { deflated } of pending) deflated.catch(() => {}); // the first failure is the one told
        throw error;
      }
      const tree = encodeChunkBTree({ chunks: stored, dims, k: file.chunkBTreeK, at: eof });
      append(tree.bytes);
      const root = Buffer.alloc(8);
      root.writeBigUInt64LE(BigInt(tree.root));
      writeSync(fd, root, 0, 8, layout.addressAt);
      onDataset(plan);
    }
    const end = Buffer.alloc(8);
    end.writeBigUInt64LE(BigInt(eof));
    writeSync(fd, end, 0, 8, EOF_ADDRESS_AT);
  } finally {
    closeSync(fd);
  }
}
