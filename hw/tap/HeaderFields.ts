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

  count(key: string): number {
    const value = this.number(key);
    if (!Number.isInteger(value) || value < 0)
      throw new TapDecodeError(this.topic, key, `must be a non-negative integer, got ${value}`);
    return value;
  }

  string(key: string): string {
    const value = this.header[key];
    if (typeof value !== "string")
      throw new TapDecodeError(this.topic, key, `must be a string, got ${show(value)}`);
    return value;
  }

  strings(key: string): string[] {
    const value = this.header[key];
    if (!Array.isArray(value) || !value.every((v) => typeof v === "string"))
      throw new TapDecodeError(this.topic, key, `must be a list of strings, got ${show(value)}`);
    return value as string[];
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
    return value.map((item, i) => {
      if (typeof item !== "object" || item === null || Array.isArray(item))
        throw new TapDecodeError(this.topic, `${key}[${i}]`, `must be an object, got ${show(item)}`);
      return new HeaderFields(`${this.topic}.${key}[${i}]`, item as Record<string, unknown>);
    });
  }
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
