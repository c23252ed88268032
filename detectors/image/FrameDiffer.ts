import { FRAME_DIFF_SIMD_WASM } from "./frameDiffSimdWasm.js";
import { sumAbsDiff } from "./motion.js";

/** The slice of the WebAssembly API used here (the project's lib has no DOM types). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { readonly exports: Record<string, unknown> };
}
type Sad = (a: number, b: number, n: number) => number;

const PAGE = 65536;
/** The kernel sums whole 64-byte blocks; a block sum per u32 lane stays exact below 8 MB per call. */
const BLOCK = 64;
const MAX_CALL_BYTES = 8 * 1024 * 1024;

const compiled: { module: object; wasm: WasmApi } | undefined = (() => {
  try {
    const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    if (!wasm) return undefined;
    return { module: new wasm.Module(Uint8Array.from(Buffer.from(FRAME_DIFF_SIMD_WASM, "base64"))), wasm };
  } catch {
    return undefined; // no WebAssembly SIMD here: the JS sum serves
  }
})();

/**
 * Frame-to-frame change of one image stream, frame after frame: each `push` answers the exact sum of
 * absolute byte differences between that frame and the one pushed before it (0 exactly when the two
 * are bitwise equal: a repeated frame). The frame is copied in, so the caller may reuse or free its
 * buffer at once (an h5wasm heap view, say). WebAssembly SIMD (frameDiffSimd.wat, ~10× the JS sum)
 * on its own memory holding the last two frames; the JS sum where SIMD is missing. Same totals.
 */
export class FrameDiffer {
  readonly #frameBytes: number;
  readonly #slot: number;
  readonly #sad: Sad | undefined;
  readonly #memory: WasmMemory | undefined;
  /** JS path: the last two frames. */
  readonly #frames: [Uint8Array, Uint8Array] | undefined;
  #turn: 0 | 1 = 0;
  #hasPrevious = false;

  constructor(frameBytes: number) {
    if (!Number.isInteger(frameBytes) || frameBytes < 0) throw new RangeError(`bad frame size ${frameBytes}`);
    this.#frameBytes = frameBytes;
    this.#slot = Math.ceil(frameBytes / BLOCK) * BLOCK;
    if (compiled) {
      const { exports } = new compiled.wasm.Instance(compiled.module);
      this.#memory = exports.memory as WasmMemory;
      this.#sad = exports.sad as Sad;
      const pages = Math.ceil((2 * this.#slot) / PAGE) - this.#memory.buffer.byteLength / PAGE;
      if (pages > 0) this.#memory.grow(pages);
      this.#frames = undefined;
    } else {
      this.#frames = [new Uint8Array(frameBytes), new Uint8Array(frameBytes)];
    }
  }

  /** Σ|frame − previous frame| over every byte; undefined for the first frame (or after `reset`). */
  push(frame: Uint8Array): number | undefined {
    if (frame.length !== this.#frameBytes)
      throw new RangeError(`frame of ${frame.length} bytes, expected ${this.#frameBytes}`);
    const turn = this.#turn;
    const other = turn === 0 ? 1 : 0;
    let total: number | undefined;
    if (this.#memory && this.#sad) {
      const heap = new Uint8Array(this.#memory.buffer);
      heap.set(frame, turn * this.#slot);
      if (this.#hasPrevious) total = this.#simd(heap, turn * this.#slot, other * this.#slot);
    } else {
      const frames = this.#frames as [Uint8Array, Uint8Array];
      frames[turn].set(frame);
      if (this.#hasPrevious) total = sumAbsDiff(frames[turn], frames[other]);
    }
    this.#turn = other;
    this.#hasPrevious = true;
    return total;
  }

  /** Forgets the previous frame: the next push is a first one. */
  reset(): void {
    this.#hasPrevious = false;
  }

  #simd(heap: Uint8Array, a: number, b: number): number {
    const sad = this.#sad as Sad;
    const n = this.#frameBytes;
    const whole = n - (n % BLOCK);
    let total = 0;
    for (let at = 0; at < whole; at += MAX_CALL_BYTES)
      total += sad(a + at, b + at, Math.min(MAX_CALL_BYTES, whole - at)) >>> 0;
    if (whole < n) total += sumAbsDiff(heap.subarray(a + whole, a + n), heap.subarray(b + whole, b + n));
    return total;
  }
}
