import { TapDecodeError } from "./TapDecodeError.js";

/** Typed reads of a decoded JSON header; every failure names the topic and the field. */
export class HeaderFields {
  constructor(
    readonly topic: string,
    private readonly header: Record<string, unknown>,
  ) {}

  static parse(topic: string, bytes: Uint8Array): HeaderFields {
    let value: unknown;
    try {
      value = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8"));
    } catch (error) {
      throw new TapDecodeError(topic, "header", `is not JSON (${(error as Error).message})`);
    }
    if (typeof value !== "object" || value === null || Array.isArray(value))
      throw new TapDecodeError(topic, "header", "must be a JSON object");
    return new HeaderFields(topic, value as Record<string, unknown>);
  }

  number(key: string): number {
    const value = this.header[key];
    if (typeof value !== "number" || !Number.isFinite(value))
      throw new TapDecodeError(this.topic, key, `must be a finite number, got ${show(value)}`);
    return value;
  }

  /** A non-negative integer a double holds exactly (`1e300` is an integer, but no counter of ours). */
  count(key: string): number {
    const value = this.number(key);
    if (!Number.isSafeInteger(value) || value < 0)
      throw new TapDecodeError(this.topic, key, `must be a non-negative integer below 2^53, got ${value}`);
    return value;
  }

  /** A string of at most `maxLength` characters (4096, a path's limit, unless said). */
  string(key: string, maxLength = MAX_STRING): string {
    const value = this.header[key];
    if (typeof value !== "string")
      throw new TapDecodeError(this.topic, key, `must be a string, got ${show(value)}`);
    if (value.length > maxLength)
      throw new TapDecodeError(
        this.topic,
        key,
        `must be at most ${maxLength} characters, got ${value.length}`,
      );
    return value;
  }

  /** A name (a body's, a stream's): 1–64 printable characters, none of them a control character. */
  name(key: string): string {
    return checkName(this.topic, key, this.string(key, 64));
  }

  strings(key: string): string[] {
    const value = this.header[key];
    if (!Array.isArray(value) || !value.every((v) => typeof v === "string"))
      throw new TapDecodeError(this.topic, key, `must be a list of strings, got ${show(value)}`);
    if (value.length > MAX_LIST)
      throw new TapDecodeError(this.topic, key, `must list at most ${MAX_LIST} items, got ${value.length}`);
    return value as string[];
  }

  /** A list of names (see `name`). */
  names(key: string): string[] {
    return this.strings(key).map((v, i) => checkName(this.topic, `${key}[${i}]`, v));
  }

  has(key: string): boolean {
    return this.header[key] !== undefined && this.header[key] !== null;
  }

  object(key: string): HeaderFields {
    const value = this.header[key];
    if (typeof value !== "object" || value === null || Array.isArray(value))
      throw new TapDecodeError(this.topic, key, `must be an object, got ${show(value)}`);
    return new HeaderFields(`${this.topic}.${key}`, value as Record<string, unknown>);
  }

  objects(key: string): HeaderFields[] {
    const value = this.header[key];
    if (!Array.isArray(value))
      throw new TapDecodeError(this.topic, key, `must be a list, got ${show(value)}`);
    if (value.length > MAX_LIST)
      throw new TapDecodeError(this.topic, key, `must list at most ${MAX_LIST} items, got ${value.length}`);
    return value.map((item, i) => {
      if (typeof item !== "object" || item === null || Array.isArray(item))
        throw new TapDecodeError(this.topic, `${key}[${i}]`, `must be an object, got ${show(item)}`);
      return new HeaderFields(`${this.topic}.${key}[${i}]`, item as Record<string, unknown>);
    });
  }
}

const MAX_STRING = 4096;
const MAX_LIST = 64;
/** Names become map keys, alarm subjects and log fields: printable, short, never an object's own key. */
const RESERVED = new Set(["__proto__", "constructor", "prototype"]);

function printable(value: string): boolean {
  for (const char of value) {
    const code = char.codePointAt(0) as number;
    if (code < 0x20 || code === 0x7f) return false;
  }
  return true;
}

function checkName(topic: string, key: string, value: string): string {
  if (value.length === 0 || value.length > 64 || !printable(value) || RESERVED.has(value))
    throw new TapDecodeError(topic, key, `must be a name of 1–64 printable characters, got ${show(value)}`);
  return value;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
