/**
 * Little-endian byte builders for hand-written packets, independent of the encoder under test: each
 * returns the bytes of one field, and `packet` concatenates them behind a header.
 */
export type Bytes = readonly number[];

const scratch = new DataView(new ArrayBuffer(8));
const take = (n: number): Bytes => Array.from(new Uint8Array(scratch.buffer, 0, n));

export const u8 = (value: number): Bytes => [value & 0xff];
export const u16 = (value: number): Bytes => (scratch.setUint16(0, value, true), take(2));
export const i32 = (value: number): Bytes => (scratch.setInt32(0, value, true), take(4));
export const u32 = (value: number): Bytes => (scratch.setUint32(0, value, true), take(4));
export const u64 = (value: bigint): Bytes => (scratch.setBigUint64(0, value, true), take(8));
export const f32 = (...values: number[]): Bytes =>
  values.flatMap((value) => (scratch.setFloat32(0, value, true), take(4)));
export const f64 = (value: number): Bytes => (scratch.setFloat64(0, value, true), take(8));
/** ASCII plus NUL. */
export const str = (text: string): Bytes => [...Array.from(text, (c) => c.charCodeAt(0)), 0];

/** Concatenates fields. */
export const cat = (...parts: Bytes[]): Bytes => parts.flat();

/** A datagram: uint16 message id, uint16 payload size, payload. */
export function packet(messageId: number, ...payload: Bytes[]): Uint8Array {
  const body = payload.flat();
  return Uint8Array.from([...u16(messageId), ...u16(body.length), ...body]);
}
