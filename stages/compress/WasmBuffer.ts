import { h5Module, type H5Module } from "../../hw/h5/runtime.js";

export interface WasmBufferOptions {
  /** The h5wasm instance whose heap holds the buffer (default: this thread's runtime). */
  readonly module?: H5Module;
}

/**
 * A block of an h5wasm heap that slabs are read into and written from, so a copy moves no bytes
 * through JavaScript. It grows on demand and is freed by `free()`; `view()` must be taken after each
 * h5wasm call, because the heap may have grown (and moved) during it.
 */
export class WasmBuffer {
  readonly #module: H5Module;
  #pointer = 0;
  #capacity = 0;

  constructor({ module }: WasmBufferOptions = {}) {
    this.#module = module ?? h5Module();
  }

  /** The pointer to at least `bytes` bytes (contents undefined after a grow). */
  reserve(bytes: number): number {
    if (bytes <= this.#capacity && this.#pointer !== 0) return this.#pointer;
    this.free();
    // malloc(0) may return 0: keep at least one byte so 0 always means "nothing held".
    const pointer = this.#module._malloc(Math.max(1, bytes));
    if (pointer === 0) throw new RangeError(`cannot allocate ${bytes} bytes in the wasm heap`);
    this.#pointer = pointer;
    this.#capacity = bytes;
    return pointer;
  }

  /** A borrowed view of the first `bytes` bytes, valid until the next h5wasm call. */
  view(bytes: number): Uint8Array {
    return this.#module.HEAPU8.subarray(this.#pointer, this.#pointer + bytes);
  }

  free(): void {
    if (this.#pointer !== 0) this.#module._free(this.#pointer);
    this.#pointer = 0;
    this.#capacity = 0;
  }
}
