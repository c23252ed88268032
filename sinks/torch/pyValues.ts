/**
 * The Python values a `.pt` file can hold, as JS values. JS has one number type, so the mapping is
 * explicit: `bigint` → int, `number` → float (so 0.0 stays a float and 3 stays an int), array → list,
 * `PyTuple` → tuple, `Map` or plain object → dict (insertion order kept), `TorchTensor` → tensor.
 */
import type { TorchTensor } from "./TorchTensor.js";

export type PyValue =
  | null
  | boolean
  | bigint
  | number
  | string
  | TorchTensor
  | PyTuple
  | readonly PyValue[]
  | ReadonlyMap<string, PyValue>
  | { readonly [key: string]: PyValue };

/** A Python tuple (a JS array is a list). */
export class PyTuple {
  readonly items: readonly PyValue[];

  constructor(...items: PyValue[]) {
    this.items = items;
  }
}
