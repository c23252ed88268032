import { readSync } from "node:fs";

/**
 * Just enough of HDF5's original file format (superblock version 0, version 1 object headers,
 * symbol-table groups, version 1 B-trees: what HDF5 writes with its default "earliest" format bounds,
 * as h5wasm does) to find, in a file h5wasm has just written and closed, where each chunked dataset
 * keeps the address of its chunk index. Nothing here is checksummed in that format, so the stage can
 * write its own chunk index and point the layout at it (chunkBTree.ts, placeChunks.ts); the copy is
 * then read back through HDF5 itself and verified.
 */

/** HDF5's undefined address. */
export const UNDEFINED_ADDRESS = 0xffff_ffff_ffff_ffffn;
/** Offset in a version 0 superblock of the end-of-file address. */
export const EOF_ADDRESS_AT = 40;

const SIGNATURE = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);
const MSG_LAYOUT = 0x0008;
const MSG_CONTINUATION = 0x0010;
const MSG_SYMBOL_TABLE = 0x0011;
const CHUNKED = 2;

/** The file's layout is not the one this reader knows; the caller falls back or fails the copy. */
export class UnexpectedFormatError extends Error {}

/** Where a chunked dataset's layout message keeps its chunk index address. */
export interface ChunkLayout {
  /** Absolute file offset of the 8-byte index address inside the layout message. */
  readonly addressAt: number;
  readonly address: bigint;
  /** Chunk dimensions, the dataset's rank plus one (the last is the element size in bytes). */
  readonly dims: readonly number[];
}

export interface ClassicFile {
  /** The file's end (where appended bytes go). */
  readonly eof: number;
  /** Half the capacity of a chunk B-tree node ("indexed storage internal node 1/2 rank"). */
  readonly chunkBTreeK: number;
  /** Every chunked dataset by absolute path (`/realsense/cam0/color`). */
  readonly layouts: ReadonlyMap<string, ChunkLayout>;
}

function read(fd: number, at: number, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  const got = readSync(fd, bytes, 0, length, at);
  if (got !== length) throw new UnexpectedFormatError(`short read of ${length} bytes at ${at}`);
  return bytes;
}

function address(bytes: Buffer, at: number): number {
  const value = bytes.readBigUInt64LE(at);
  if (value === UNDEFINED_ADDRESS) return -1;
  if (value > BigInt(Number.MAX_SAFE_INTEGER))
    throw new UnexpectedFormatError(`address ${value} out of range`);
  return Number(value);
}

function expectSignature(bytes: Buffer, signature: string, at: number): void {
  if (bytes.toString("latin1", 0, 4) !== signature)
    throw new UnexpectedFormatError(
      `expected ${signature} at ${at}, found ${JSON.stringify(bytes.toString("latin1", 0, 4))}`,
    );
}

interface Message {
  readonly type: number;
  /** Absolute offset of the message's data. */
  readonly at: number;
  readonly data: Buffer;
}

/** The messages of a version 1 object header, following continuation blocks. */
function objectHeaderMessages(fd: number, at: number): Message[] {
  const prefix = read(fd, at, 16);
  if (prefix[0] !== 1)
    throw new UnexpectedFormatError(`object header at ${at} is version ${prefix[0]}, not 1`);
  const count = prefix.readUInt16LE(2);
  const blocks: { at: number; length: number }[] = [{ at: at + 16, length: prefix.readUInt32LE(8) }];
  const messages: Message[] = [];
  while (blocks.length > 0 && messages.length < count) {
    const block = blocks.shift() as { at: number; length: number };
    const bytes = read(fd, block.at, block.length);
    for (let p = 0; p + 8 <= bytes.length && messages.length < count;) {
      const type = bytes.readUInt16LE(p);
      const size = bytes.readUInt16LE(p + 2);
      const data = bytes.subarray(p + 8, p + 8 + size);
      messages.push({ type, at: block.at + p + 8, data });
      if (type === MSG_CONTINUATION)
        blocks.push({ at: address(data, 0), length: Number(data.readBigUInt64LE(8)) });
      p += 8 + size;
    }
  }
  return messages;
}

/** Names and object header addresses of a symbol-table group's members. */
function groupMembers(fd: number, btree: number, heap: number): { name: string; header: number }[] {
  const heapHeader = read(fd, heap, 32);
  expectSignature(heapHeader, "HEAP", heap);
  const names = read(fd, address(heapHeader, 24), Number(heapHeader.readBigUInt64LE(8)));
  const nameAt = (offset: number) => names.toString("utf8", offset, names.indexOf(0, offset));
  const members: { name: string; header: number }[] = [];
  const visit = (node: number) => {
    const head = read(fd, node, 24);
    expectSignature(head, "TREE", node);
    if (head[4] !== 0) throw new UnexpectedFormatError(`B-tree at ${node} is not a group node`);
    const level = head[5] as number;
    const entries = head.readUInt16LE(6);
    // Keys (heap offsets, 8 bytes) and children (addresses, 8 bytes) alternate, starting with a key.
    const body = read(fd, node + 24, 8 + entries * 16);
    for (let i = 0; i < entries; i++) {
      const child = address(body, 8 + i * 16);
      if (level > 0) visit(child);
      else members.push(...symbolNode(fd, child, nameAt));
    }
  };
  visit(btree);
  return members;
}

function symbolNode(
  fd: number,
  at: number,
  nameAt: (offset: number) => string,
): { name: string; header: number }[] {
  const head = read(fd, at, 8);
  expectSignature(head, "SNOD", at);
  const count = head.readUInt16LE(6);
  const entries = read(fd, at + 8, count * 40);
  return Array.from({ length: count }, (_, i) => ({
    name: nameAt(Number(entries.readBigUInt64LE(i * 40))),
    header: address(entries, i * 40 + 8),
  }));
}

/** Reads the superblock and every group of a closed file, collecting its chunked datasets' layouts. */
export function readClassicFile(fd: number): ClassicFile {
  const superblock = read(fd, 0, 96);
  if (!superblock.subarray(0, 8).equals(SIGNATURE)) throw new UnexpectedFormatError("no HDF5 signature at 0");
  if (superblock[8] !== 0) throw new UnexpectedFormatError(`superblock version ${superblock[8]}, not 0`);
  if (superblock[13] !== 8 || superblock[14] !== 8)
    throw new UnexpectedFormatError("offsets and lengths are not 8 bytes");
  if (superblock.readBigUInt64LE(24) !== 0n) throw new UnexpectedFormatError("a base address other than 0");
  const layouts = new Map<string, ChunkLayout>();
  const walk = (path: string, header: number) => {
    for (const message of objectHeaderMessages(fd, header)) {
      if (message.type === MSG_SYMBOL_TABLE) {
        const btree = address(message.data, 0);
        const heap = address(message.data, 8);
        for (const member of groupMembers(fd, btree, heap))
          walk(`${path === "/" ? "" : path}/${member.name}`, member.header);
      } else if (message.type === MSG_LAYOUT && message.data[1] === CHUNKED) {
        if (message.data[0] !== 3)
          throw new UnexpectedFormatError(`${path}: layout message version ${message.data[0]}`);
        const ndims = message.data[2] as number;
        const dims = Array.from({ length: ndims }, (_, i) => message.data.readUInt32LE(11 + 4 * i));
        layouts.set(path, { addressAt: message.at + 3, address: message.data.readBigUInt64LE(3), dims });
      }
    }
  };
  walk("/", address(superblock, 64));
  return { eof: address(superblock, EOF_ADDRESS_AT), chunkBTreeK: 32, layouts };
}
