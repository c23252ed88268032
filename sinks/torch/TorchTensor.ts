/** Element types the writer supports, with torch's storage class and element size. */
export const TORCH_DTYPES = {
  uint8: { storage: "ByteStorage", bytes: 1 },
  int64: { storage: "LongStorage", bytes: 8 },
  float32: { storage: "FloatStorage", bytes: 4 },
  float64: { storage: "DoubleStorage", bytes: 8 },
} as const;

export type TorchDtype = keyof typeof TORCH_DTYPES;

/**
 * A tensor already written to the archive (`data/<storageKey>`), as the pickle refers to it:
 * contiguous, row-major, storage offset 0, on the CPU.
 */
export class TorchTensor {
  constructor(
    readonly storageKey: string,
    readonly dtype: TorchDtype,
    readonly shape: readonly number[],
  ) {}

  get numel(): number {
    return elementCount(this.shape);
  }

  /** Row-major strides in elements (what torch.save records for a contiguous tensor). */
  get strides(): number[] {
    const strides = new Array<number>(this.shape.length);
    let step = 1;
    for (let d = this.shape.length - 1; d >= 0; d--) {
      strides[d] = step;
      step *= this.shape[d] as number;
    }
    return strides;
  }
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
