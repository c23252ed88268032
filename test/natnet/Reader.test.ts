import { describe, expect, it } from "vitest";
import { NatNetDecodeError, Reader, Writer } from "../../hw/natnet/index.js";

const bytes = (...values: number[]) => Uint8Array.from(values);

/** The error a call throws, for inspecting its fields. */
function errorOf(call: () => unknown): NatNetDecodeError {
  try {
    call();
  } catch (error) {
    if (error instanceof NatNetDecodeError) return error;
    throw error;
  }
  throw new Error("expected a NatNetDecodeError");
}

describe("Reader", () => {
  it("reads little-endian values and advances", () => {
    const reader = new Reader(
      new Writer()
        .uint8(7)
        .uint16(0x1234)
        .int32(-2)
        .uint32(0xfffffffe)
        .float32(1.5)
        .float64(-0.1)
        .uint64(2n ** 64n - 1n)
        .toBytes(),
    );
    expect([reader.uint8("a"), reader.uint16("b"), reader.int32("c"), reader.uint32("d")]).toEqual([
      7, 0x1234, -2, 0xfffffffe,
    ]);
    expect([reader.float32("e"), reader.float64("f"), reader.uint64("g")]).toEqual([
      1.5,
      -0.1,
      2n ** 64n - 1n,
    ]);
    expect(reader.bytesRemaining()).toBe(0);
  });

  it("honours a Uint8Array's byteOffset (Node's pooled Buffers share one ArrayBuffer)", () => {
    const pool = bytes(0xaa, 0xbb, 1, 0, 0, 0);
    expect(new Reader(pool.subarray(2)).int32("x")).toBe(1);
  });

  it("throws a typed error with offset, field path, needed and available instead of reading past the end", () => {
    const reader = new Reader(bytes(1, 2, 3, 4, 5, 6), {
      offset: 4,
      messageId: 7,
      version: { major: 4, minor: 1 },
    });
    reader.enter("rigidBodies");
    reader.at(2);
    const error = errorOf(() => reader.float32("meanError"));
    expect(error).toMatchObject({
      messageId: 7,
      offset: 4,
      field: "rigidBodies[2].meanError",
      needed: 4,
      available: 2,
      version: "4.1",
    });
    expect(error.message).toBe(
      "NatNet decode failed at byte 4, rigidBodies[2].meanError: expected float32 (needs 4 bytes, 2 left) [natnet=4.1 message=7]",
    );
    expect(reader.offset).toBe(4); // nothing consumed
  });

  it("stops at its limit, not at the end of the bytes", () => {
    const reader = new Reader(bytes(1, 0, 0, 0, 2, 0, 0, 0), { limit: 4 });
    expect(reader.int32("first")).toBe(1);
    expect(() => reader.int32("second")).toThrowError(NatNetDecodeError);
  });

  it("checks counts against the bytes left before anything loops or allocates", () => {
    expect(errorOf(() => new Reader(new Writer().int32(-1).toBytes()).count("count", 1)).expected).toBe(
      "a count ≥ 0, found -1",
    );
    const huge = new Writer().int32(0x7fffffff).uint32(0).toBytes();
    expect(errorOf(() => new Reader(huge).count("count", 12))).toMatchObject({ offset: 0, field: "count" });
    expect(new Reader(new Writer().int32(2).uint32(0).uint32(0).toBytes()).count("count", 4)).toBe(2);
  });

  it("byte sizes must fit, and narrowing bounds what follows", () => {
    const reader = new Reader(new Writer().int32(4).int32(9).int32(10).toBytes());
    const end = reader.byteSize("byteSize");
    expect(end).toBe(8);
    const outer = reader.narrowLimit(end);
    expect(reader.int32("inside")).toBe(9);
    expect(() => reader.int32("beyond")).toThrowError(NatNetDecodeError);
    reader.restoreLimit(outer);
    expect(reader.int32("after")).toBe(10);
    expect(() => new Reader(new Writer().int32(5).toBytes()).byteSize("byteSize")).toThrowError(/byte size/);
  });

  it("expectAt reports unread and overrun bytes", () => {
    const reader = new Reader(bytes(0, 0, 0, 0));
    expect(errorOf(() => reader.expectAt(4, "section", "the section")).expected).toBe(
      "the section to end at byte 4, but decoding left 4 bytes unread",
    );
  });

  it("reads NUL-terminated strings, ASCII and UTF-8, and fails without a NUL", () => {
    const reader = new Reader(new Writer().cstring("Rigid Body 1").cstring("Körper").cstring("").toBytes());
    expect([reader.cstring("a"), reader.cstring("b"), reader.cstring("c")]).toEqual([
      "Rigid Body 1",
      "Körper",
      "",
    ]);
    const unterminated = new Reader(bytes(0x61, 0x62));
    expect(errorOf(() => unterminated.cstring("name"))).toMatchObject({ offset: 0, field: "name" });
  });

  it("fixed-size names stop at the NUL and consume the whole field, garbage and all", () => {
    const field = new Uint8Array(8);
    field.set([0x4d, 0x6f, 0, 0x69, 0x62, 0xae]);
    const reader = new Reader(Uint8Array.from([...field, 9]));
    expect(reader.fixedString("name", 8)).toBe("Mo");
    expect(reader.uint8("next")).toBe(9);
    expect(() => new Reader(new Uint8Array(8).fill(65)).fixedString("name", 8)).toThrowError(/NUL/);
  });

  it("text() takes the rest up to a NUL if any, and never fails", () => {
    expect(new Reader(bytes(0x41, 0x42, 0, 0x43)).text()).toBe("AB");
    expect(new Reader(bytes(0x41, 0x42)).text()).toBe("AB");
    expect(new Reader(bytes()).text()).toBe("");
  });

  it("bytesCopy copies: the result survives the buffer being reused", () => {
    const buffer = bytes(1, 2, 3);
    const copy = new Reader(buffer).bytesCopy("payload", 3);
    buffer.fill(0);
    expect(copy).toEqual(bytes(1, 2, 3));
  });
});

describe("Writer", () => {
  it("grows past its initial capacity and patches reserved sizes", () => {
    const writer = new Writer(2);
    const sizeAt = writer.reserveInt32();
    for (let i = 0; i < 100; i++) writer.float64(i);
    writer.patchInt32(sizeAt, writer.length - 4);
    const reader = new Reader(writer.toBytes());
    expect(reader.int32("size")).toBe(800);
    expect(reader.float64("x")).toBe(0);
  });

  it("refuses strings it cannot write", () => {
    expect(() => new Writer().cstring("a\0b")).toThrowError(RangeError);
    expect(() => new Writer().fixedString("x".repeat(256), 256)).toThrowError(RangeError);
  });
});
