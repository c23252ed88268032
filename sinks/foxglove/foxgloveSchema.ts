import { createRequire } from "node:module";
import protobuf from "protobufjs";
import descriptor from "protobufjs/ext/descriptor.js";

/** The Foxglove well-known schemas rigwatch writes. */
export type FoxgloveSchemaName = "CompressedImage" | "RawImage" | "PoseInFrame" | "FrameTransforms" | "Log";

/** A schema as it travels in an MCAP file or a Foxglove WebSocket advertisement. */
export interface FoxgloveSchema {
  /** `foxglove.CompressedImage`, …: the name Foxglove's panels recognise. */
  readonly name: string;
  readonly encoding: "protobuf";
  /** A serialized google.protobuf.FileDescriptorSet: every file the message needs, dependencies first. */
  readonly data: Uint8Array;
  /** The message type, to encode with. */
  readonly type: protobuf.Type;
}

interface SchemaDefinitions {
  readonly foxgloveMessageSchemas: Record<string, unknown>;
  readonly foxgloveEnumSchemas: Record<string, { readonly parentSchemaName: string }>;
  generateProto(schema: unknown, enums: readonly unknown[]): string;
}

// `@foxglove/schemas/internal` holds the schema definitions the package generates its .proto files
// from; it is CommonJS without an ESM entry, hence require.
const definitions = createRequire(import.meta.url)("@foxglove/schemas/internal") as SchemaDefinitions;

const TIMESTAMP_FILE = "google/protobuf/timestamp.proto";
const cache = new Map<FoxgloveSchemaName, FoxgloveSchema>();

/**
 * A Foxglove schema compiled from the definitions shipped in `@foxglove/schemas`: the package's own
 * .proto text for the message and every message it nests, parsed by protobufjs, then written as a
 * FileDescriptorSet with one file per .proto (its real name and imports), so any protobuf reader
 * (protobufjs, Python's descriptor pool, Foxglove) can rebuild the type from the file alone.
 */
export function foxgloveSchema(name: FoxgloveSchemaName): FoxgloveSchema {
  const cached = cache.get(name);
  if (cached) return cached;
  const files = protoFiles(name);
  const root = new protobuf.Root();
  root.addJSON(protobuf.common.get(TIMESTAMP_FILE)?.nested ?? {});
  for (const text of files.values()) protobuf.parse(text, root, { keepCase: true });
  root.resolveAll();

  const set = descriptor.FileDescriptorSet.create();
  set.file.push(fileDescriptor(root, TIMESTAMP_FILE, "google.protobuf", "Timestamp", []));
  // Dependencies before dependants: protoFiles lists a message after everything it nests.
  for (const [message, text] of files) {
    set.file.push(fileDescriptor(root, `foxglove/${message}.proto`, "foxglove", message, importsOf(text)));
  }
  const schema: FoxgloveSchema = {
    name: `foxglove.${name}`,
    encoding: "protobuf",
    data: descriptor.FileDescriptorSet.encode(set).finish(),
    type: root.lookupType(`foxglove.${name}`),
  };
  cache.set(name, schema);
  return schema;
}

/** The .proto text of a message and of every foxglove file it imports, imported ones first. */
function protoFiles(name: string, files = new Map<string, string>()): Map<string, string> {
  if (files.has(name)) return files;
  const schema = definitions.foxgloveMessageSchemas[name];
  if (!schema) throw new Error(`@foxglove/schemas has no schema ${name}`);
  // generateProto writes the enums it is given into the message: only this message's own.
  const enums = Object.values(definitions.foxgloveEnumSchemas).filter((e) => e.parentSchemaName === name);
  const text = definitions.generateProto(schema, enums);
  for (const imported of importsOf(text)) {
    const nested = /^foxglove\/(\w+)\.proto$/.exec(imported);
    if (nested) protoFiles(nested[1] as string, files);
  }
  files.set(name, text);
  return files;
}

function importsOf(protoText: string): string[] {
  return [...protoText.matchAll(/^import "([^"]+)";$/gm)].map((m) => m[1] as string);
}

function fileDescriptor(
  root: protobuf.Root,
  name: string,
  pkg: string,
  message: string,
  dependency: readonly string[],
): descriptor.IFileDescriptorProto {
  return {
    name,
    package: pkg,
    dependency: [...dependency],
    syntax: "proto3",
    messageType: [root.lookupType(`${pkg}.${message}`).toDescriptor("proto3")],
  };
}
