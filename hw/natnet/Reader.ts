import { NatNetDecodeError } from "./NatNetDecodeError.js";
import type { Quat, Vec3 } from "./types.js";
import { formatVersion, type NatNetVersionLike } from "./version.js";

// One decoder for the whole module: building a TextDecoder costs more than decoding a name.
const utf8 = new TextDecoder("utf-8");

/** Names this short and pure ASCII are built directly; TextDecoder's call overhead dominates for them. */
const SHORT_STRING = 64;

export interface ReaderOptions {
  /** Where reading starts (default 0). Offsets in errors count from the start of `bytes`. */
  readonly offset?: number;
  /** Exclusive end of the readable bytes (default: the end of `bytes`). */
  readonly limit?: number;
  /** Message id and version, for error messages. */
  readonly messageId?: number;
  readonly version?: NatNetVersionLike;
}

/**
 * A little-endian cursor over one datagram with strict bounds. Every read checks the bytes left before
 * the current limit and throws `NatNetDecodeError` (offset, field path, what was expected) instead of
 * reading past it; DataView's own RangeError would say neither where nor what. Counts are checked
 * against the bytes left before anything is allocated or looped over. The limit can be narrowed to a
 * section whose size the message declares, so a section cannot overrun into the next.
 */
export class Reader {
  readonly #view: DataView;
  readonly #u8: Uint8Array;
  /** Current position, from the start of the bytes given to the constructor. */
  offset: number;
  #limit: number;
  readonly messageId: number | undefined;
  readonly version: NatNetVersionLike | undefined;
  // The field path for errors, as parallel stacks: scope names and the item index within each (-1: none).
  readonly #scopes: string[] = [];
  readonly #indices: number[] = [];

  constructor(bytes: Uint8Array, options: ReaderOptions = {}) {
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#u8 = bytes;
    this.offset = options.offset ?? 0;
    this.#limit = Math.min(options.limit ?? bytes.byteLength, bytes.byteLength);
    this.messageId = options.messageId;
    this.version = options.version;
  }

  get limit(): number {
    return this.#limit;
  }

  bytesRemaining(): number {
    return this.#limit - this.offset;
  }

  uint8(field: string): number {
    this.#need(1, field, "uint8");
    return this.#u8[this.offset++]!;
  }

  uint16(field: string): number {
    this.#need(2, field, "uint16");
    const value = this.#view.getUint16(this.offset, true);
    this.offset += 2;
    return value;
  }

  int32(field: string): number {
    this.#need(4, field, "int32");
    const value = this.#view.getInt32(this.offset, true);
    this.offset += 4;
    return value;
  }

  uint32(field: string): number {
    this.#need(4, field, "uint32");
    const value = this.#view.getUint32(this.offset, true);
    this.offset += 4;
    return value;
  }

  uint64(field: string): bigint {
    this.#need(8, field, "uint64");
    const value = this.#view.getBigUint64(this.offset, true);
    this.offset += 8;
    return value;
  }

  float32(field: string): number {
    this.#need(4, field, "float32");
    const value = this.#view.getFloat32(this.offset, true);
    this.offset += 4;
    return value;
  }

  float64(field: string): number {
    this.#need(8, field, "float64");
    const value = this.#view.getFloat64(this.offset, true);
    this.offset += 8;
    return value;
  }

  vec3(field: string): Vec3 {
    this.#need(12, field, "float32[3]");
    const view = this.#view;
    const at = this.offset;
    this.offset += 12;
    return [view.getFloat32(at, true), view.getFloat32(at + 4, true), view.getFloat32(at + 8, true)];
  }

  quat(field: string): Quat {
    this.#need(16, field, "float32[4] (qx, qy, qz, qw)");
    const view = this.#view;
    const at = this.offset;
    this.offset += 16;
    return [
      view.getFloat32(at, true),
      view.getFloat32(at + 4, true),
      view.getFloat32(at + 8, true),
      view.getFloat32(at + 12, true),
    ];
  }

  /**
   * An int32 element count, checked to be non-negative and to fit in the bytes left when each element
   * takes at least `minItemBytes`; a corrupted count fails here instead of looping or allocating.
   */
  count(field: string, minItemBytes: number): number {
    const at = this.offset;
    return this.checkCount(this.int32(field), minItemBytes, field, at);
  }

  /** The check `count` makes, for a count read before a section size that bounds its items. */
  checkCount(n: number, minItemBytes: number, field: string, at: number): number {
    if (n < 0) this.fail(field, `a count ≥ 0, found ${n}`, at);
    if (n * minItemBytes > this.#limit - this.offset) {
      this.fail(
        field,
        `room for ${n} × ≥${minItemBytes}-byte items, but ${this.#limit - this.offset} bytes are left`,
        at,
      );
    }
    return n;
  }

  /**
   * An int32 byte size of what follows (NatNet 4.1 section and description sizes), checked to fit in the
   * bytes left. Returns the offset where that content must end.
   */
  byteSize(field: string): number {
    const at = this.offset;
    const size = this.int32(field);
    if (size < 0 || size > this.#limit - this.offset) {
      this.fail(
        field,
        `a byte size between 0 and the ${this.#limit - this.offset} bytes left, found ${size}`,
        at,
      );
    }
    return this.offset + size;
  }

  /** A NUL-terminated string; the NUL must come before the limit. */
  cstring(field: string): string {
    const u8 = this.#u8;
    const start = this.offset;
    const limit = this.#limit;
    let end = start;
    let ascii = true;
    while (end < limit) {
      const byte = u8[end]!;
      if (byte === 0) break;
      if (byte >= 0x80) ascii = false;
      end++;
    }
    if (end >= limit) this.fail(field, `a NUL-terminated string before byte ${limit}`, start);
    this.offset = end + 1;
    return ascii && end - start <= SHORT_STRING
      ? asciiString(u8, start, end)
      : utf8.decode(u8.subarray(start, end));
  }

  /**
   * A string in a fixed-size field (sSender's 256-byte name). Motive leaves garbage after the NUL, so only
   * the bytes before it count; the whole field is consumed.
   */
  fixedString(field: string, size: number): string {
    this.#need(size, field, `a ${size}-byte name field`);
    const start = this.offset;
    const end = this.#u8.subarray(start, start + size).indexOf(0);
    if (end < 0) this.fail(field, `a NUL within the ${size}-byte name field`, start);
    this.offset += size;
    return utf8.decode(this.#u8.subarray(start, start + end));
  }

  /**
   * The rest of the bounds as text, up to the first NUL if there is one. For command strings, whose
   * senders disagree on the terminator (natnet.md §2, §4.3); never fails.
   */
  text(): string {
    const rest = this.#u8.subarray(this.offset, this.#limit);
    const nul = rest.indexOf(0);
    this.offset = this.#limit;
    return utf8.decode(nul < 0 ? rest : rest.subarray(0, nul));
  }

  /** Skips whatever is left before the limit (for lenient messages whose padding varies by sender). */
  skipRest(): void {
    this.offset = this.#limit;
  }

  /** A copy of the next `length` bytes: it stays valid when the caller reuses its receive buffer. */
  bytesCopy(field: string, length: number): Uint8Array {
    this.#need(length, field, `${length} bytes`);
    const copy = this.#u8.slice(this.offset, this.offset + length);
    this.offset += length;
    return copy;
  }

  /**
   * Bounds reading to `end` (from `byteSize`) and returns the previous limit for `restoreLimit`, so the
   * content of a sized section cannot read into what follows it.
   */
  narrowLimit(end: number): number {
    if (end < this.offset || end > this.#limit) {
      throw new RangeError(
        `limit ${end} is outside ${this.offset}..${this.#limit}: use byteSize() to get it`,
      );
    }
    const previous = this.#limit;
    this.#limit = end;
    return previous;
  }

  restoreLimit(previous: number): void {
    this.#limit = previous;
  }

  /** Fails unless the cursor is exactly at `end`: a declared size must be consumed exactly. */
  expectAt(end: number, field: string, what: string): void {
    if (this.offset !== end) {
      const delta = end - this.offset;
      this.fail(
        field,
        `${what} to end at byte ${end}, but decoding ${delta > 0 ? `left ${delta} bytes unread` : `overran it by ${-delta} bytes`}`,
      );
    }
  }

  /** Enters a named scope of the field path (`rigidBodies`, `markers`). */
  enter(scope: string): void {
    this.#scopes.push(scope);
    this.#indices.push(-1);
  }

  /** Sets the item index within the current scope: `rigidBodies[2]`. */
  at(index: number): void {
    this.#indices[this.#indices.length - 1] = index;
  }

  leave(): void {
    this.#scopes.pop();
    this.#indices.pop();
  }

  /** Throws a `NatNetDecodeError` for `field` at `offset` (default: the cursor). */
  fail(
    field: string,
    expected: string,
    offset = this.offset,
    shortfall?: { needed: number; available: number },
  ): never {
    throw new NatNetDecodeError({
      messageId: this.messageId,
      offset,
      field: this.#path(field),
      expected,
      ...shortfall,
      ...(this.version === undefined ? {} : { version: formatVersion(this.version) }),
    });
  }

  #need(bytes: number, field: string, what: string): void {
    if (this.offset + bytes > this.#limit) {
      this.fail(field, what, this.offset, { needed: bytes, available: this.#limit - this.offset });
    }
  }

  #path(field: string): string {
    let path = "";
    for (let i = 0; i < this.#scopes.length; i++) {
      const index = this.#indices[i]!;
      path += `${this.#scopes[i]}${index >= 0 ? `[${index}]` : ""}.`;
    }
    return path + field;
  }
}

function asciiString(u8: Uint8Array, start: number, end: number): string {
  let text = "";
  for (let i = start; i < end; i++) text += String.fromCharCode(u8[i]!);
  return text;
}
