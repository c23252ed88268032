import type { ArraySpan } from "./evidenceLayout.js";

type Packable = Float64Array | Int32Array;

/** Typed arrays laid end to end in one buffer, each at an 8-byte boundary, with their spans by name. */
export function packArrays(arrays: Readonly<Record<string, Packable>>): {
  bytes: Uint8Array;
  spans: Record<string, ArraySpan>;
} {
  const spans: Record<string, ArraySpan> = {};
  let size = 0;
  for (const [name, a] of Object.entries(arrays)) {
    spans[name] = { type: a instanceof Float64Array ? "f64" : "i32", offset: size, length: a.length };
    size += Math.ceil(a.byteLength / 8) * 8;
  }
  const bytes = new Uint8Array(size);
  for (const [name, a] of Object.entries(arrays))
    bytes.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), (spans[name] as ArraySpan).offset);
  return { bytes, spans };
}

/** One array of a packed buffer, copied out (aligned). */
export function unpackArray(bytes: Uint8Array, span: ArraySpan): Float64Array | Int32Array {
  const width = span.type === "f64" ? 8 : 4;
  if (span.offset + span.length * width > bytes.length)
    throw new RangeError(
      `array at ${span.offset} (${span.length}×${width} B) past the end (${bytes.length} B)`,
    );
  // A fresh buffer, aligned at 0 (a Buffer's slice would share a pooled, unaligned one).
  const copy = new Uint8Array(span.length * width);
  copy.set(bytes.subarray(span.offset, span.offset + span.length * width));
  return span.type === "f64"
    ? new Float64Array(copy.buffer, 0, span.length)
    : new Int32Array(copy.buffer, 0, span.length);
}
