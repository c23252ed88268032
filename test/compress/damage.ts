import { closeSync, openSync, readSync, writeSync } from "node:fs";
import { python } from "../helpers/python.js";

/** Where one chunk of a dataset lies in its file, as h5py (HDF5's own chunk index) says. */
export function chunkExtent(path: string, dataset: string, index: number): { offset: number; size: number } {
  const out = python(
    "import sys, h5py, json\n" +
      "with h5py.File(sys.argv[1], 'r') as f:\n" +
      "    info = f[sys.argv[2]].id.get_chunk_info(int(sys.argv[3]))\n" +
      "print(json.dumps({'offset': info.byte_offset, 'size': info.size}))",
    [path, dataset, String(index)],
  );
  return JSON.parse(out) as { offset: number; size: number };
}

/** Inverts every bit of the byte at `at` (an absolute file offset). */
export function flipByte(path: string, at: number): void {
  const fd = openSync(path, "r+");
  try {
    const byte = Buffer.alloc(1);
    readSync(fd, byte, 0, 1, at);
    byte[0] = (byte[0] as number) ^ 0xff;
    writeSync(fd, byte, 0, 1, at);
  } finally {
    closeSync(fd);
  }
}

export function readBytes(path: string, offset: number, size: number): Buffer {
  const fd = openSync(path, "r");
  try {
    const bytes = Buffer.alloc(size);
    readSync(fd, bytes, 0, size, offset);
    return bytes;
  } finally {
    closeSync(fd);
  }
}

/** Decoded length of an LZF stream (liblzf's format), or undefined where liblzf would refuse it. */
function lzfLength(stream: Uint8Array, capacity: number): number | undefined {
  let out = 0;
  let i = 0;
  while (i < stream.length) {
    const ctrl = stream[i++] as number;
    if (ctrl < 32) {
      if (i + ctrl + 1 > stream.length) return undefined;
      i += ctrl + 1;
      out += ctrl + 1;
    } else {
      let len = ctrl >> 5;
      if (len === 7) len += stream[i++] ?? 0;
      if (i >= stream.length) return undefined;
      const back = ((ctrl & 0x1f) << 8) + (stream[i++] as number) + 1;
      if (back > out) return undefined;
      out += len + 2;
    }
    if (out > capacity) return undefined;
  }
  return out;
}

/**
 * The offset, in an LZF chunk, of the first control byte whose flip leaves a stream liblzf accepts
 * but that decodes to fewer bytes than the chunk holds: HDF5 does not check the length, so the rest
 * of the frame is whatever the filter's output buffer held before.
 */
export function shortDecodeFlip(stream: Uint8Array, chunkBytes: number): number {
  const controls: number[] = [];
  for (let i = 0; i < stream.length;) {
    controls.push(i);
    const ctrl = stream[i] as number;
    i += ctrl < 32 ? ctrl + 2 : ctrl >> 5 === 7 ? 3 : 2;
  }
  for (const at of controls) {
    const flipped = Uint8Array.from(stream);
    flipped[at] = (flipped[at] as number) ^ 0xff;
    const length = lzfLength(flipped, chunkBytes);
    if (length !== undefined && length < chunkBytes) return at;
  }
  throw new Error("no control byte of this chunk decodes short when flipped");
}
