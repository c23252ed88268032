/**
 * Pickle protocol 2 encoder for the values torch.save writes, with tensors as torch pickles them:
 * `torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, OrderedDict())` where
 * the storage is a persistent id `("storage", torch.<T>Storage, key, "cpu", numel)` resolved by
 * torch.load against `data/<key>`. No memo (BINPUT/BINGET): the unpickler does not need one, and
 * every object here is written once.
 */
import { PyTuple, type PyValue } from "./pyValues.js";
import { TORCH_DTYPES, TorchTensor } from "./TorchTensor.js";

const OP = {
  PROTO: 0x80,
  STOP: 0x2e,
  MARK: 0x28,
  NONE: 0x4e,
  NEWTRUE: 0x88,
  NEWFALSE: 0x89,
  BININT: 0x4a,
  BININT1: 0x4b,
  BININT2: 0x4d,
  LONG1: 0x8a,
  BINFLOAT: 0x47,
  BINUNICODE: 0x58,
  EMPTY_TUPLE: 0x29,
  TUPLE: 0x74,
  TUPLE1: 0x85,
  TUPLE2: 0x86,
  TUPLE3: 0x87,
  EMPTY_LIST: 0x5d,
  APPENDS: 0x65,
  EMPTY_DICT: 0x7d,
  SETITEMS: 0x75,
  GLOBAL: 0x63,
  REDUCE: 0x52,
  BINPERSID: 0x51,
} as const;

const utf8 = new TextEncoder();

/** Growable byte buffer; the pickle of a `.pt` is small (metadata only, tensors are separate). */
class ByteSink {
  private bytes = new Uint8Array(1024);
  private view = new DataView(this.bytes.buffer);
  length = 0;

  private room(n: number) {
    if (this.length + n <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + n));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
    this.view = new DataView(grown.buffer);
  }

  op(code: number): void {
    this.room(1);
    this.bytes[this.length++] = code;
  }

  raw(data: Uint8Array): void {
    this.room(data.length);
    this.bytes.set(data, this.length);
    this.length += data.length;
  }

  u8(v: number): void {
    this.op(v);
  }

  u16(v: number): void {
    this.room(2);
    this.view.setUint16(this.length, v, true);
    this.length += 2;
  }

  i32(v: number): void {
    this.room(4);
    this.view.setInt32(this.length, v, true);
    this.length += 4;
  }

  f64BigEndian(v: number): void {
    this.room(8);
    this.view.setFloat64(this.length, v, false);
    this.length += 8;
  }

  result(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

/** The pickle (protocol 2) of `value`, STOP included: the content of a `.pt`'s `data.pkl`. */
export function pickle(value: PyValue): Uint8Array {
  const out = new ByteSink();
  out.op(OP.PROTO);
  out.u8(2);
  write(out, value, 0);
  out.op(OP.STOP);
  return out.result();
}

/** Nesting beyond this is a cycle or a mistake; Python's own unpickler would hit its recursion limit. */
const MAX_DEPTH = 100;

function write(out: ByteSink, value: PyValue, depth: number): void {
  if (depth > MAX_DEPTH) throw new RangeError(`values nested deeper than ${MAX_DEPTH} (a cycle?)`);
  if (value === null) out.op(OP.NONE);
  else if (typeof value === "boolean") out.op(value ? OP.NEWTRUE : OP.NEWFALSE);
  else if (typeof value === "bigint") writeInt(out, value);
  else if (typeof value === "number") {
    out.op(OP.BINFLOAT);
    out.f64BigEndian(value);
  } else if (typeof value === "string") writeString(out, value);
  else if (value instanceof TorchTensor) writeTensor(out, value);
  else if (value instanceof PyTuple) writeTuple(out, value.items, depth);
  else if (Array.isArray(value)) {
    out.op(OP.EMPTY_LIST);
    if (value.length === 0) return;
    out.op(OP.MARK);
    for (const item of value as readonly PyValue[]) write(out, item, depth + 1);
    out.op(OP.APPENDS);
  } else {
    const entries =
      value instanceof Map
        ? [...(value as ReadonlyMap<string, PyValue>).entries()]
        : Object.entries(value as { readonly [key: string]: PyValue });
    out.op(OP.EMPTY_DICT);
    if (entries.length === 0) return;
    out.op(OP.MARK);
    for (const [k, v] of entries) {
      if (typeof k !== "string") throw new TypeError(`dict keys must be strings, found ${typeof k}`);
      writeString(out, k);
      write(out, v, depth + 1);
    }
    out.op(OP.SETITEMS);
  }
}

function writeString(out: ByteSink, s: string) {
  const bytes = utf8.encode(s);
  out.op(OP.BINUNICODE);
  out.i32(bytes.length);
  out.raw(bytes);
}

/** Python's own choice of opcode per range: BININT1, BININT2, BININT, else LONG1. */
function writeInt(out: ByteSink, v: bigint) {
  if (v >= 0n && v < 0x100n) {
    out.op(OP.BININT1);
    out.u8(Number(v));
  } else if (v >= 0n && v < 0x10000n) {
    out.op(OP.BININT2);
    out.u16(Number(v));
  } else if (v >= -0x80000000n && v < 0x80000000n) {
    out.op(OP.BININT);
    out.i32(Number(v));
  } else {
    const bytes = twosComplement(v);
    out.op(OP.LONG1);
    out.u8(bytes.length);
    out.raw(bytes);
  }
}

/** Shortest little-endian two's complement bytes of `v` (what LONG1 carries). */
export function twosComplement(v: bigint): Uint8Array {
  const bytes: number[] = [];
  let x = v;
  for (;;) {
    const byte = Number(x & 0xffn);
    bytes.push(byte);
    x >>= 8n;
    // Done when the rest is pure sign extension of the byte just written.
    if ((x === 0n && (byte & 0x80) === 0) || (x === -1n && (byte & 0x80) !== 0)) break;
  }
  if (bytes.length > 255) throw new RangeError("integer too large for LONG1");
  return Uint8Array.from(bytes);
}

function writeTuple(out: ByteSink, items: readonly PyValue[], depth: number) {
  if (items.length === 0) {
    out.op(OP.EMPTY_TUPLE);
    return;
  }
  if (items.length > 3) out.op(OP.MARK);
  for (const item of items) write(out, item, depth + 1);
  out.op(
    items.length === 1
      ? OP.TUPLE1
      : items.length === 2
        ? OP.TUPLE2
        : items.length === 3
          ? OP.TUPLE3
          : OP.TUPLE,
  );
}

function writeGlobal(out: ByteSink, module: string, name: string) {
  out.op(OP.GLOBAL);
  out.raw(utf8.encode(`${module}\n${name}\n`));
}

function writeTensor(out: ByteSink, t: TorchTensor) {
  const ints = (xs: readonly number[]) => new PyTuple(...xs.map((x) => BigInt(x)));
  writeGlobal(out, "torch._utils", "_rebuild_tensor_v2");
  out.op(OP.MARK);
  // Persistent id: ('storage', torch.<T>Storage, key, 'cpu', numel).
  out.op(OP.MARK);
  writeString(out, "storage");
  writeGlobal(out, "torch", TORCH_DTYPES[t.dtype].storage);
  writeString(out, t.storageKey);
  writeString(out, "cpu");
  writeInt(out, BigInt(t.numel));
  out.op(OP.TUPLE);
  out.op(OP.BINPERSID);
  writeInt(out, 0n); // storage offset
  writeTuple(out, ints(t.shape).items, 0);
  writeTuple(out, ints(t.strides).items, 0);
  out.op(OP.NEWFALSE); // requires_grad
  writeGlobal(out, "collections", "OrderedDict"); // backward hooks: OrderedDict()
  out.op(OP.EMPTY_TUPLE);
  out.op(OP.REDUCE);
  out.op(OP.TUPLE);
  out.op(OP.REDUCE);
}
