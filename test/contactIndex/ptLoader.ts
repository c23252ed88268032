/**
 * Test helpers: load a `.pt` in Debian's stock PyTorch (load_pt.py) and build the typed JSON it prints
 * from JS values, so a test states the exact Python value it expects.
 */
import { fileURLToPath } from "node:url";
import { python } from "../helpers/python.js";

const LOADER = fileURLToPath(new URL("./load_pt.py", import.meta.url));

export type Typed =
  | null
  | boolean
  | string
  | Typed[]
  | { int: string }
  | { float: string }
  | { tuple: Typed[] }
  | { dict: [string, Typed][] }
  | { tensor: string; shape: number[]; values: Typed[] };

export interface ZipEntryInfo {
  readonly name: string;
  readonly size: number;
  readonly data_offset: number;
  readonly local_extra_ids: number[];
  readonly central_zip64: boolean;
}

export interface Loaded {
  readonly value: Typed;
  readonly zip?: { testzip: string | null; entries: ZipEntryInfo[] };
}

export function loadPt(path: string, zipinfo = false): Loaded {
  const script = `import runpy, sys; sys.argv = ${JSON.stringify([LOADER, path, ...(zipinfo ? ["--zipinfo"] : [])])}; runpy.run_path(sys.argv[0], run_name="__main__")`;
  return JSON.parse(python(script)) as Loaded;
}

/** Python int. */
export const int = (v: number | bigint): Typed => ({ int: BigInt(v).toString() });

/** Python float, by its IEEE-754 bits (big-endian hex), as load_pt.py prints it. */
export function float(v: number): Typed {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, v);
  let hex = "";
  for (let i = 0; i < 8; i++) hex += view.getUint8(i).toString(16).padStart(2, "0");
  return { float: hex };
}

export const tuple = (...items: Typed[]): Typed => ({ tuple: items });
export const dict = (entries: [string, Typed][]): Typed => ({ dict: entries });

export function tensor(dtype: string, shape: number[], values: Iterable<number | bigint>): Typed {
  const typed = [...values].map((v) =>
    dtype.startsWith("float") ? float(Number(v)) : int(typeof v === "bigint" ? v : BigInt(v)),
  );
  return { tensor: dtype, shape, values: typed };
}
