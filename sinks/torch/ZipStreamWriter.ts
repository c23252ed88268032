/**
 * A minimal zip writer for `.pt` archives: stored (uncompressed) entries written one after another
 * to a file descriptor, each entry's data aligned to 64 bytes, CRC-32 computed as the bytes go by.
 *
 * Why hand-written: torch.save's container is a zip with two PyTorch-specific habits (a 64-byte data
 * alignment padded through an "FB" extra field, and stored entries only), multi-gigabyte entries must
 * be streamed, and the project takes no dependency for ~200 lines. The layout copies what torch's
 * writer (miniz) produces: local header with flag bit 3 and CRC/sizes in a data descriptor after the
 * data, a zip64 end-of-central-directory record always present, DOS date/time 0. Entries needing
 * zip64 (size or header offset ≥ `zip64Threshold`, 0xFFFFFFFF by default) carry a zip64 extra field
 * with sizes and offset in the local and central headers and an 8-byte-size data descriptor.
 *
 * Contract: one entry open at a time; `beginEntry` declares the exact size, `endEntry` checks it.
 * Sync I/O: the writer sits in a frame loop that already blocks on synchronous HDF5 reads.
 */
import { writeSync } from "node:fs";
import { crc32 } from "node:zlib";

const ALIGNMENT = 64;
const U32_MAX = 0xffffffff;
const LOCAL_HEADER = 30;
const CENTRAL_HEADER = 46;
const FLAGS = 0x0808; // bit 3: CRC and sizes in the data descriptor; bit 11: UTF-8 names
const BUFFER_BYTES = 1 << 20;

export interface ZipWriterOptions {
  /** Sizes and offsets at or above this use zip64 fields (tests lower it to exercise that path). */
  readonly zip64Threshold?: number;
}

interface CentralRecord {
  readonly name: Uint8Array;
  readonly offset: number;
  readonly size: number;
  readonly crc: number;
  readonly zip64: boolean;
}

interface OpenEntry {
  readonly record: Omit<CentralRecord, "crc">;
  written: number;
  crc: number;
}

const utf8 = new TextEncoder();

export class ZipStreamWriter {
  private readonly buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  private buffered = 0;
  /** Bytes handed to the file so far plus those buffered: the offset of the next byte. */
  private position = 0;
  private readonly records = new Map<string, CentralRecord>();
  private open: OpenEntry | undefined;
  private readonly zip64Threshold: number;

  constructor(
    private readonly fd: number,
    options: ZipWriterOptions = {},
  ) {
    this.zip64Threshold = options.zip64Threshold ?? U32_MAX;
  }

  get bytesWritten(): number {
    return this.position;
  }

  /** Starts entry `name` of exactly `size` bytes; its data starts on a 64-byte boundary. */
  beginEntry(name: string, size: number): void {
    if (this.open) throw new Error(`entry ${utf8Decode(this.open.record.name)} is still open`);
    if (this.records.has(name)) throw new Error(`duplicate zip entry ${name}`);
    if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`bad entry size ${size}`);
    const nameBytes = utf8.encode(name);
    const offset = this.position;
    const zip64 = size >= this.zip64Threshold || offset >= this.zip64Threshold;
    const zip64Extra = zip64 ? 4 + 24 : 0;
    const unpadded = offset + LOCAL_HEADER + nameBytes.length + zip64Extra + 4;
    const padding = (ALIGNMENT - (unpadded % ALIGNMENT)) % ALIGNMENT;
    const header = Buffer.alloc(LOCAL_HEADER + nameBytes.length + zip64Extra + 4 + padding);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(zip64 ? 45 : 20, 4);
    header.writeUInt16LE(FLAGS, 6);
    // method 0 (stored), time 0, date 0, CRC 0: as torch's writer leaves them.
    header.writeUInt32LE(zip64 ? U32_MAX : 0, 18);
    header.writeUInt32LE(zip64 ? U32_MAX : 0, 22);
    header.writeUInt16LE(nameBytes.length, 26);
    header.writeUInt16LE(zip64Extra + 4 + padding, 28);
    header.set(nameBytes, LOCAL_HEADER);
    let p = LOCAL_HEADER + nameBytes.length;
    if (zip64) p = writeZip64Extra(header, p, size, offset);
    header.write("FB", p, "latin1");
    header.writeUInt16LE(padding, p + 2);
    header.fill("Z", p + 4);
    this.emit(header);
    this.open = { record: { name: nameBytes, offset, size, zip64 }, written: 0, crc: 0 };
  }

  /** Appends data to the open entry (the bytes are copied or written before this returns). */
  write(data: Uint8Array): void {
    const entry = this.open;
    if (!entry) throw new Error("no zip entry is open");
    if (entry.written + data.length > entry.record.size) {
      throw new RangeError(
        `${utf8Decode(entry.record.name)}: ${entry.written + data.length} bytes written, ${entry.record.size} declared`,
      );
    }
    entry.crc = crc32(data, entry.crc);
    entry.written += data.length;
    this.emit(data);
  }

  /** Closes the open entry: checks the byte count, writes the data descriptor. */
  endEntry(): void {
    const entry = this.open;
    if (!entry) throw new Error("no zip entry is open");
    const { record } = entry;
    if (entry.written !== record.size) {
      throw new RangeError(
        `${utf8Decode(record.name)}: ${entry.written} bytes written, ${record.size} declared`,
      );
    }
    const descriptor = Buffer.alloc(record.zip64 ? 24 : 16);
    descriptor.writeUInt32LE(0x08074b50, 0);
    descriptor.writeUInt32LE(entry.crc, 4);
    if (record.zip64) {
      descriptor.writeBigUInt64LE(BigInt(record.size), 8);
      descriptor.writeBigUInt64LE(BigInt(record.size), 16);
    } else {
      descriptor.writeUInt32LE(record.size, 8);
      descriptor.writeUInt32LE(record.size, 12);
    }
    this.emit(descriptor);
    this.records.set(utf8Decode(record.name), { ...record, crc: entry.crc });
    this.open = undefined;
  }

  /** A whole entry from memory. */
  addEntry(name: string, data: Uint8Array): void {
    this.beginEntry(name, data.length);
    this.write(data);
    this.endEntry();
  }

  /**
   * Writes the central directory, listing entries in `order` (names; the rest follow in writing
   * order), and the end records, then flushes. The directory order is what readers see as "first".
   */
  finish(order: readonly string[] = []): void {
    if (this.open) throw new Error(`entry ${utf8Decode(this.open.record.name)} is still open`);
    const listed = [...order, ...[...this.records.keys()].filter((n) => !order.includes(n))];
    const start = this.position;
    for (const name of listed) {
      const record = this.records.get(name);
      if (!record) throw new Error(`no zip entry named ${name}`);
      this.emit(centralHeader(record));
    }
    const size = this.position - start;
    this.emit(endRecords(listed.length, start, size, this.position, this.zip64Threshold));
    this.flush();
  }

  private emit(data: Uint8Array) {
    this.position += data.length;
    if (data.length >= BUFFER_BYTES) {
      this.flush();
      writeAll(this.fd, data);
      return;
    }
    if (this.buffered + data.length > BUFFER_BYTES) this.flush();
    this.buffer.set(data, this.buffered);
    this.buffered += data.length;
  }

  private flush() {
    if (this.buffered > 0) writeAll(this.fd, this.buffer.subarray(0, this.buffered));
    this.buffered = 0;
  }
}

function writeAll(fd: number, data: Uint8Array) {
  let done = 0;
  while (done < data.length) done += writeSync(fd, data, done, data.length - done);
}

function utf8Decode(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
}

/** Zip64 extended information (id 1): uncompressed size, compressed size, local header offset. */
function writeZip64Extra(into: Buffer, at: number, size: number, offset: number): number {
  into.writeUInt16LE(0x0001, at);
  into.writeUInt16LE(24, at + 2);
  into.writeBigUInt64LE(BigInt(size), at + 4);
  into.writeBigUInt64LE(BigInt(size), at + 12);
  into.writeBigUInt64LE(BigInt(offset), at + 20);
  return at + 28;
}

function centralHeader(r: CentralRecord): Buffer {
  const extra = r.zip64 ? 28 : 0;
  const h = Buffer.alloc(CENTRAL_HEADER + r.name.length + extra);
  h.writeUInt32LE(0x02014b50, 0);
  h.writeUInt16LE(r.zip64 ? 45 : 20, 4); // made by: MS-DOS host, spec version
  h.writeUInt16LE(r.zip64 ? 45 : 20, 6);
  h.writeUInt16LE(FLAGS, 8);
  h.writeUInt32LE(r.crc, 16);
  h.writeUInt32LE(r.zip64 ? U32_MAX : r.size, 20);
  h.writeUInt32LE(r.zip64 ? U32_MAX : r.size, 24);
  h.writeUInt16LE(r.name.length, 28);
  h.writeUInt16LE(extra, 30);
  h.writeUInt32LE(r.zip64 ? U32_MAX : r.offset, 42);
  h.set(r.name, CENTRAL_HEADER);
  if (r.zip64) writeZip64Extra(h, CENTRAL_HEADER + r.name.length, r.size, r.offset);
  return h;
}

/** Zip64 end of central directory record + locator (always, as torch writes them), then the classic one. */
function endRecords(
  entries: number,
  cdOffset: number,
  cdSize: number,
  at: number,
  threshold: number,
): Buffer {
  const b = Buffer.alloc(56 + 20 + 22);
  b.writeUInt32LE(0x06064b50, 0);
  b.writeBigUInt64LE(44n, 4);
  b.writeUInt16LE(45, 12);
  b.writeUInt16LE(45, 14);
  b.writeBigUInt64LE(BigInt(entries), 24);
  b.writeBigUInt64LE(BigInt(entries), 32);
  b.writeBigUInt64LE(BigInt(cdSize), 40);
  b.writeBigUInt64LE(BigInt(cdOffset), 48);
  b.writeUInt32LE(0x07064b50, 56);
  b.writeBigUInt64LE(BigInt(at), 64);
  b.writeUInt32LE(1, 72);
  const e = 76;
  b.writeUInt32LE(0x06054b50, e);
  b.writeUInt16LE(Math.min(entries, 0xffff), e + 8);
  b.writeUInt16LE(Math.min(entries, 0xffff), e + 10);
  b.writeUInt32LE(cdSize >= threshold ? U32_MAX : cdSize, e + 12);
  b.writeUInt32LE(cdOffset >= threshold ? U32_MAX : cdOffset, e + 16);
  return b;
}
