import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Thumbnails kept in memory before the store spills to a temp file: ~2,000 at 49 KB. */
const DEFAULT_MEMORY_BYTES = 96 * 1024 * 1024;

/**
 * Append-only store of fixed-size thumbnails with a bounded memory footprint: the first ones stay in
 * memory, the rest spill to a temp file (an 11-minute take has 20,000 per GelSight). Reads of spilled
 * thumbnails come back from the page cache, far cheaper than decoding the frame again.
 */
export class ThumbnailStore {
  private readonly memory: Uint8Array[] = [];
  private readonly memorySlots: number;
  private spill: { dir: string; fd: number } | undefined;
  private count = 0;

  constructor(
    readonly thumbBytes: number,
    memoryBytes = DEFAULT_MEMORY_BYTES,
  ) {
    this.memorySlots = Math.floor(memoryBytes / thumbBytes);
  }

  get size(): number {
    return this.count;
  }

  /** Stores a copy of the thumbnail and returns its slot. */
  append(thumb: Uint8Array): number {
    if (thumb.length !== this.thumbBytes)
      throw new RangeError(`thumbnail of ${thumb.length} bytes, expected ${this.thumbBytes}`);
    if (this.count < this.memorySlots) {
      this.memory.push(thumb.slice());
    } else {
      const { fd } = this.spillFile();
      writeSync(fd, thumb, 0, thumb.length, (this.count - this.memorySlots) * this.thumbBytes);
    }
    return this.count++;
  }

  /** The thumbnail in `slot`, copied into `out`. */
  read(slot: number, out: Uint8Array = new Uint8Array(this.thumbBytes)): Uint8Array {
    if (!(slot >= 0 && slot < this.count))
      throw new RangeError(`thumbnail slot ${slot} outside 0..${this.count - 1}`);
    if (slot < this.memorySlots) out.set(this.memory[slot] as Uint8Array);
    else
      readSync(
        (this.spill as { fd: number }).fd,
        out,
        0,
        this.thumbBytes,
        (slot - this.memorySlots) * this.thumbBytes,
      );
    return out;
  }

  close(): void {
    this.memory.length = 0;
    if (this.spill) {
      closeSync(this.spill.fd);
      rmSync(this.spill.dir, { recursive: true, force: true });
      this.spill = undefined;
    }
  }

  private spillFile() {
    if (!this.spill) {
      const dir = mkdtempSync(join(tmpdir(), "rigwatch-thumbs-"));
      this.spill = { dir, fd: openSync(join(dir, "thumbs.bin"), "w+") };
    }
    return this.spill;
  }
}
