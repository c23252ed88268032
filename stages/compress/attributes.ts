import type { Dataset, File as H5File, Group, Metadata } from "h5wasm/node";
import { h5Module } from "../../hw/h5/runtime.js";
import { fitsIn32Bits } from "./fitsIn32Bits.js";
import type { WasmBuffer } from "./WasmBuffer.js";

const H5T_INTEGER = 0;
const H5T_FLOAT = 1;
const H5T_STRING = 3;

/** An attribute that cannot be copied faithfully; the caller names the file and the object. */
export class UnsupportedAttributeError extends Error {}

function entity(file: H5File, path: string): Group | Dataset {
  return path === "/" ? file : (file.get(path) as Group | Dataset);
}

function byteLength(metadata: Metadata): number {
  return metadata.size * metadata.total_size;
}

/** Variable-length strings go through h5wasm's string API; everything else is copied as raw bytes. */
function isRaw(metadata: Metadata): boolean {
  return !metadata.vlen && [H5T_INTEGER, H5T_FLOAT, H5T_STRING].includes(metadata.type);
}

/**
 * Copies every attribute of one object. Numbers and fixed-length strings are copied as bytes;
 * variable-length strings (the `metadata` serials) as strings. h5wasm writes strings UTF-8 and
 * space-padded whatever the source said; the values are the same.
 */
export function copyAttributes(src: H5File, dst: H5File, path: string, buffer: WasmBuffer): void {
  const module = h5Module();
  for (const name of module.get_attribute_names(src.file_id, path)) {
    const metadata = module.get_attribute_metadata(src.file_id, path, name);
    const shape = metadata.shape;
    if (shape === null) throw new UnsupportedAttributeError(`attribute ${name} has a null dataspace`);
    if (metadata.vlen && metadata.type === H5T_STRING) {
      const value = entity(src, path).get_attribute(name, false) as string | string[];
      entity(dst, path).create_attribute(name, value, shape, "S");
    } else if (isRaw(metadata)) {
      const pointer = buffer.reserve(byteLength(metadata));
      module.get_attribute_data(src.file_id, path, name, BigInt(pointer));
      if (
        metadata.type === H5T_INTEGER &&
        metadata.size === 8 &&
        !fitsIn32Bits(buffer.view(byteLength(metadata)), metadata.signed)
      ) {
        throw new UnsupportedAttributeError(
          `attribute ${name}: a 64-bit value beyond 32 bits (h5wasm writes int64 with 32-bit precision)`,
        );
      }
      module.create_attribute(
        dst.file_id,
        path,
        name,
        BigInt(pointer),
        shape.map(BigInt),
        metadata.type,
        metadata.size,
        metadata.signed,
        false,
      );
    } else {
      throw new UnsupportedAttributeError(
        `attribute ${name}: dtype class ${metadata.type} is not supported by h5wasm`,
      );
    }
  }
}

/** Why the attributes of one object differ between the two files, or undefined when they are equal. */
export function attributeMismatch(
  src: H5File,
  dst: H5File,
  path: string,
  a: WasmBuffer,
  b: WasmBuffer,
): string | undefined {
  const module = h5Module();
  const names = module.get_attribute_names(src.file_id, path).sort();
  const copied = module.get_attribute_names(dst.file_id, path).sort();
  if (names.join("\0") !== copied.join("\0"))
    return `attributes [${copied.join(", ")}], expected [${names.join(", ")}]`;
  for (const name of names) {
    const want = module.get_attribute_metadata(src.file_id, path, name);
    const got = module.get_attribute_metadata(dst.file_id, path, name);
    for (const key of ["type", "size", "signed", "vlen"] as const) {
      if (want[key] !== got[key]) return `attribute ${name}: ${key} ${got[key]}, expected ${want[key]}`;
    }
    if (JSON.stringify(want.shape) !== JSON.stringify(got.shape))
      return `attribute ${name}: shape ${JSON.stringify(got.shape)}, expected ${JSON.stringify(want.shape)}`;
    if (isRaw(want)) {
      const bytes = byteLength(want);
      const pa = a.reserve(bytes);
      const pb = b.reserve(bytes);
      module.get_attribute_data(src.file_id, path, name, BigInt(pa));
      module.get_attribute_data(dst.file_id, path, name, BigInt(pb));
      if (Buffer.compare(a.view(bytes), b.view(bytes)) !== 0) return `attribute ${name}: values differ`;
    } else {
      const wantValue = JSON.stringify(entity(src, path).get_attribute(name, true));
      const gotValue = JSON.stringify(entity(dst, path).get_attribute(name, true));
      if (wantValue !== gotValue) return `attribute ${name}: ${gotValue}, expected ${wantValue}`;
    }
  }
  return undefined;
}
