import type { Quat, Vec3 } from "./types.js";

const utf8 = new TextEncoder();

/**
 * A growable little-endian byte builder, the mirror of `Reader`. Sizes that precede what they measure
 * (the header's payload size, NatNet 4.1 section and description sizes) are reserved and patched later.
 * A string with a NUL or too long for its field throws (the caller's bug); numbers wrap as DataView's do.
 */
export class Writer {
  #bytes: Uint8Array;
  #view: DataView;
  #length = 0;

  constructor(initialCapacity = 512) {
    this.#bytes = new Uint8Array(initialCapacity);
    this.#view = new DataView(this.#bytes.buffer);
  }

  get length(): number {
    return this.#length;
  }

  uint8(value: number): this {
    const at = this.#grow(1); // grow first: it may replace the view
    this.#view.setUint8(at, value);
    return this;
  }

  uint16(value: number): this {
    const at = this.#grow(2);
    this.#view.setUint16(at, value, true);
    return this;
  }

  int32(value: number): this {
    const at = this.#grow(4);
    this.#view.setInt32(at, value, true);
    return this;
  }

  uint32(value: number): this {
    const at = this.#grow(4);
    this.#view.setUint32(at, value, true);
    return this;
  }

  uint64(value: bigint): this {
    const at = this.#grow(8);
    this.#view.setBigUint64(at, value, true);
    return this;
  }

  float32(value: number): this {
    const at = this.#grow(4);
    this.#view.setFloat32(at, value, true);
    return this;
  }

  float64(value: number): this {
    const at = this.#grow(8);
    this.#view.setFloat64(at, value, true);
    return this;
  }

  vec3(value: Vec3): this {
    return this.float32(value[0]).float32(value[1]).float32(value[2]);
  }

  quat(value: Quat): this {
    return this.float32(value[0]).float32(value[1]).float32(value[2]).float32(value[3]);
  }

  /** UTF-8 text and a NUL. */
  cstring(text: string): this {
    const encoded = encodeText(text);
    const at = this.#grow(encoded.length + 1);
    this.#bytes.set(encoded, at);
    this.#bytes[this.#length - 1] = 0;
    return this;
  }

  /** Text NUL-padded to a fixed-size field, e.g. sSender's 256-byte name. */
  fixedString(text: string, size: number): this {
    const encoded = encodeText(text);
    if (encoded.length >= size)
      throw new RangeError(`"${text}" does not fit a ${size}-byte field with its NUL`);
    const at = this.#grow(size);
    this.#bytes.fill(0, at, at + size);
    this.#bytes.set(encoded, at);
    return this;
  }

  bytes(value: Uint8Array): this {
    const at = this.#grow(value.length);
    this.#bytes.set(value, at);
    return this;
  }

  /** Reserves an int32 to fill in with `patchInt32`; returns its offset. */
  reserveInt32(): number {
    return this.#grow(4);
  }

  patchInt32(at: number, value: number): this {
    this.#view.setInt32(at, value, true);
    return this;
  }

  patchUint16(at: number, value: number): this {
    this.#view.setUint16(at, value, true);
    return this;
  }

  /** A copy of what has been written. */
  toBytes(): Uint8Array {
    return this.#bytes.slice(0, this.#length);
  }

  /** Makes room for `size` more bytes and returns where they start. */
  #grow(size: number): number {
    const at = this.#length;
    const needed = at + size;
    if (needed > this.#bytes.length) {
      const bigger = new Uint8Array(Math.max(needed, this.#bytes.length * 2));
      bigger.set(this.#bytes.subarray(0, at));
      this.#bytes = bigger;
      this.#view = new DataView(bigger.buffer);
    }
    this.#length = needed;
    return at;
  }
}

function encodeText(text: string): Uint8Array {
  const encoded = utf8.encode(text);
  if (encoded.includes(0))
    throw new RangeError(`a NatNet string cannot contain NUL: ${JSON.stringify(text)}`);
  return encoded;
}
