/**
 * h5wasm creates 64-bit integer types by widening a native int, which keeps a 32-bit precision: the
 * bytes are stored as given, but a reader converting to int64 (h5py) sees only the low 32 bits. So a
 * 64-bit value is copied only when it survives that, and refused otherwise.
 */
export function fitsIn32Bits(bytes: Uint8Array, signed: boolean): boolean {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 0; at + 8 <= bytes.byteLength; at += 8) {
    const low = view.getUint32(at, true);
    const high = view.getUint32(at + 4, true);
    const fits = signed ? high === (low & 0x80000000 ? 0xffffffff : 0) : high === 0;
    if (!fits) return false;
  }
  return true;
}
