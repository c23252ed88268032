import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Append-only spill file of fixed-size thumbnails, so a pass over a take of any length keeps
 * O(1) thumbnails in memory (49 KB each; an 11-minute take has 20,000 per GelSight). Reads come
 * back from the page cache, far cheaper than decoding the frame again.
 */
export class ThumbnailStore {
  private readonly dir: string;
  private readonly fd: number;
  private count = 0;

  constructor(readonly thumbBytes: number) {
    this.dir = mkdtempSync(join(tmpdir(), "rigwatch-thumbs-"));
    this.fd = openSync(join(this.dir, "thumbs.bin"), "w+");
  }

  get size(): number {
    return this.count;
  }

  /** Stores a thumbnail and returns its slot. */
  append(thumb: Uint8Array): number {
    if (thumb.length !== this.thumbBytes)
      throw new RangeError(`thumbnail of ${thumb.length} bytes, expected ${this.thumbBytes}`);
    writeSync(this.fd, thumb, 0, thumb.length, this.count * this.thumbBytes);
    return this.count++;
  }

  read(slot: number, out = new Uint8Array(this.thumbBytes)): Uint8Array {
    if (!(slot >= 0 && slot < this.count))
      throw new RangeError(`thumbnail slot ${slot} outside 0..${this.count - 1}`);
    readSync(this.fd, out, 0, this.thumbBytes, slot * this.thumbBytes);
    return out;
  }

  close(): void {
    closeSync(this.fd);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
