import { truncateSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadH5 } from "../../hw/h5/runtime.js";
import { CompressError, compressEpisode } from "../../stages/compress/index.js";
import { tempDir } from "../helpers/paths.js";
import { copyFixture, FIXTURES, listing, sha256 } from "./files.js";
import { compareWithH5py } from "./h5py.js";

let dir: { path: string; cleanup: () => void };
beforeEach(() => {
  dir = tempDir("rigwatch-compress-");
});
afterEach(() => dir.cleanup());

/** A small LZF file of the shapes h5py's chunk guess leaves too long: a short table, an empty one. */
async function writeShortTables(
  path: string,
  extra?: (file: InstanceType<Awaited<ReturnType<typeof loadH5>>["File"]>) => void,
) {
  const h5 = await loadH5();
  const file = new h5.File(path, "w");
  const rows = Float64Array.from({ length: 5 * 7 }, (_, i) => i / 7);
  file.create_dataset({
    name: "short",
    data: rows,
    shape: [5, 7],
    maxshape: [null, 7],
    chunks: [64, 7],
    dtype: "<d",
    compression: 32000,
    compression_opts: [],
  });
  file.create_dataset({
    name: "empty",
    data: new Float64Array(0),
    shape: [0, 7],
    maxshape: [null, 7],
    chunks: [1024, 7],
    dtype: "<d",
    compression: 32000,
    compression_opts: [],
  });
  file.create_dataset({
    name: "fixed",
    data: new Uint16Array(12).fill(7),
    shape: [3, 4],
    maxshape: [3, 4],
    chunks: [2, 4],
    dtype: "<H",
    compression: 32000,
    compression_opts: [],
  });
  extra?.(file);
  file.close();
}

describe("compress edge cases", () => {
  it("clamps chunks longer than a short dataset, keeps maxshape and empty datasets", async () => {
    const path = join(dir.path, "episode_000.h5");
    await writeShortTables(path);
    const source = join(dir.path, "source.h5");
    await writeShortTables(source);
    expect((await compressEpisode(path)).status).toBe("compressed");
    const report = compareWithH5py(source, path);
    expect(report.source_chunks).toEqual({ empty: [1024, 7], fixed: [2, 4], short: [64, 7] });
    expect(report.datasets).toEqual({
      empty: {
        dtype: "<f8",
        shape: [0, 7],
        maxshape: [null, 7],
        chunks: [1, 7],
        compression: "gzip",
        compression_opts: 4,
        shuffle: false,
        equal: true,
      },
      fixed: {
        dtype: "<u2",
        shape: [3, 4],
        maxshape: [3, 4],
        chunks: [2, 4],
        compression: "gzip",
        compression_opts: 4,
        shuffle: false,
        equal: true,
      },
      short: {
        dtype: "<f8",
        shape: [5, 7],
        maxshape: [null, 7],
        chunks: [5, 7],
        compression: "gzip",
        compression_opts: 4,
        shuffle: false,
        equal: true,
      },
    });
  });

  it("refuses an int64 value h5wasm would store with 32-bit precision, original untouched", async () => {
    const path = join(dir.path, "episode_000.h5");
    await writeShortTables(path, (file) =>
      file.create_attribute("frame_ns", new BigInt64Array([2n ** 40n]), [], "<q"),
    );
    const before = sha256(path);
    const error = await compressEpisode(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CompressError);
    expect(error).toMatchObject({ code: "unsupported", step: "copy", dataset: "/", file: path });
    expect((error as Error).message).toBe(
      `${path} [/]: unsupported (copy): attribute frame_ns: a 64-bit value beyond 32 bits (h5wasm writes int64 with 32-bit precision)`,
    );
    expect(sha256(path)).toBe(before);
    expect(listing(dir.path)).toEqual(["episode_000.h5"]);
  });

  it("a truncated file gets a typed error and is not touched", async () => {
    const path = copyFixture(FIXTURES.blosc, dir.path);
    truncateSync(path, 1_000_000);
    const before = sha256(path);
    const error = await compressEpisode(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CompressError);
    expect(error).toMatchObject({ code: "open_failed", step: "open", dataset: undefined, file: path });
    expect((error as Error).message).toMatch(
      new RegExp(`^${path}: open failed \\(open\\): .*truncated file: eof = 1000000`),
    );
    expect(sha256(path)).toBe(before);
    expect(listing(dir.path)).toEqual(["episode_000.h5"]);
  });

  it("a file with a corrupt chunk gets a typed error and is renamed aside with its bytes", async () => {
    const path = copyFixture(FIXTURES.lzf, dir.path);
    const { openSync, writeSync, closeSync, statSync } = await import("node:fs");
    // Overwrite 64 KiB in the middle of the file, inside the LZF image chunks.
    const fd = openSync(path, "r+");
    writeSync(fd, Buffer.alloc(65536, 0xab), 0, 65536, Math.floor(statSync(path).size / 2));
    closeSync(fd);
    const before = sha256(path);
    const error = await compressEpisode(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CompressError);
    expect(error).toMatchObject({
      code: "corrupt_chunk",
      step: "copy",
      file: path,
      quarantinedAs: `${path}.corrupt`,
    });
    expect(sha256(`${path}.corrupt`)).toBe(before);
    expect(listing(dir.path)).toEqual(["episode_000.h5.corrupt"]);
  });
});
