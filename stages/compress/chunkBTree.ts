import { UNDEFINED_ADDRESS } from "./classicFormat.js";

/** One stored chunk: where it starts along each axis (in elements), where it lies in the file, its stored size. */
export interface StoredChunk {
  /** Element offsets per axis of the dataset (its rank). */
  readonly offset: readonly number[];
  readonly address: number;
  readonly size: number;
}

export interface ChunkBTreeOptions {
  /** The chunks in increasing offset order (row-major over the chunk grid). */
  readonly chunks: readonly StoredChunk[];
  /** The layout's chunk dimensions: the dataset's rank plus one, the last the element size. */
  readonly dims: readonly number[];
  /** Half a node's capacity (the superblock's "indexed storage internal node 1/2 rank"). */
  readonly k: number;
  /** File address the first node is written at; the nodes follow one another. */
  readonly at: number;
}

const NODE_HEAD = 24;

/**
 * Encodes a version 1 B-tree of raw-data chunks (HDF5 node type 1) over stored chunks, leaves first,
 * then each level up to one root. A node holds up to 2K children between 2K + 1 keys; key i is the
 * left bound of child i (chunk size, filter mask 0, element offsets per axis and 0 for the element
 * axis), the last key the offset of the chunk that would come next, which is where HDF5's lookups
 * (lexicographic on the offsets) stop. Every node is written at its full size, as HDF5 reads it.
 */
export function encodeChunkBTree({ chunks, dims, k, at }: ChunkBTreeOptions): {
  bytes: Buffer;
  root: number;
} {
  if (chunks.length === 0) throw new RangeError("a chunk B-tree needs at least one chunk");
  const ndims = dims.length;
  const keyBytes = 8 + 8 * ndims;
  const nodeBytes = NODE_HEAD + (2 * k + 1) * keyBytes + 2 * k * 8;
  const key = (chunk: StoredChunk): Buffer => {
    const bytes = Buffer.alloc(keyBytes);
    bytes.writeUInt32LE(chunk.size, 0);
    chunk.offset.forEach((o, d) => bytes.writeBigUInt64LE(BigInt(o), 8 + 8 * d));
    return bytes;
  };
  const last = chunks.at(-1) as StoredChunk;
  const after: StoredChunk = {
    offset: last.offset.map((o, d) => (d === 0 ? o + (dims[0] as number) : 0)),
    address: 0,
    size: 0,
  };
  const nodes: Buffer[] = [];
  // One level: children with their left keys, and the right key of the whole level.
  let level: { left: Buffer; address: number }[] = chunks.map((c) => ({ left: key(c), address: c.address }));
  const rightmost = key(after);
  for (let depth = 0; ; depth++) {
    const groups: (typeof level)[] = [];
    for (let i = 0; i < level.length; i += 2 * k) groups.push(level.slice(i, i + 2 * k));
    const first = nodes.length;
    const up: typeof level = [];
    groups.forEach((group, g) => {
      const node = Buffer.alloc(nodeBytes);
      node.write("TREE", 0, "latin1");
      node[4] = 1;
      node[5] = depth;
      node.writeUInt16LE(group.length, 6);
      const self = at + (first + g) * nodeBytes;
      node.writeBigUInt64LE(g === 0 ? UNDEFINED_ADDRESS : BigInt(self - nodeBytes), 8);
      node.writeBigUInt64LE(g === groups.length - 1 ? UNDEFINED_ADDRESS : BigInt(self + nodeBytes), 16);
      group.forEach((child, i) => {
        const p = NODE_HEAD + i * (keyBytes + 8);
        child.left.copy(node, p);
        node.writeBigUInt64LE(BigInt(child.address), p + keyBytes);
      });
      const right = g === groups.length - 1 ? rightmost : (groups[g + 1]?.[0]?.left as Buffer);
      right.copy(node, NODE_HEAD + group.length * (keyBytes + 8));
      nodes.push(node);
      up.push({ left: (group[0] as { left: Buffer }).left, address: self });
    });
    if (up.length === 1) return { bytes: Buffer.concat(nodes), root: (up[0] as { address: number }).address };
    level = up;
  }
}
