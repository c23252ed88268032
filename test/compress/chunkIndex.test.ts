/**
 * The chunk index compress writes itself (placeChunks): a B-tree of one leaf, of two levels (the
 * 300-frame faulted take: 5 leaves under a root) and of three (5000 one-row chunks), each read back by
 * Debian's h5py (HDF5 1.10, not h5wasm's 1.14) bit-exact, and its chunk addresses inside the file.
 */
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadH5 } from "../../hw/h5/runtime.js";
import { compressEpisode } from "../../stages/compress/index.js";
import { FAULTED_EPISODE, tempDir } from "../helpers/paths.js";
import { python } from "../helpers/python.js";
import { copyFixture } from "./files.js";
import { compareWithH5py } from "./h5py.js";

let dir: { path: string; cleanup: () => void };
beforeEach(() => {
  dir = tempDir("rigwatch-chunk-index-");
});
afterEach(() => dir.cleanup());

/** Per dataset: its chunk count and whether every chunk lies inside the file, as HDF5's index says. */
function chunkIndex(path: string): Record<string, { chunks: number; inside: boolean }> {
  const out = python(
    "import sys, os, json, h5py\n" +
      "size = os.path.getsize(sys.argv[1])\n" +
      "out = {}\n" +
      "def visit(name, obj):\n" +
      "    if isinstance(obj, h5py.Dataset) and obj.chunks:\n" +
      "        n = obj.id.get_num_chunks()\n" +
      "        infos = [obj.id.get_chunk_info(i) for i in range(n)]\n" +
      "        out[name] = {'chunks': n, 'inside': all(0 < c.byte_offset and c.byte_offset + c.size <= size for c in infos)}\n" +
      "with h5py.File(sys.argv[1], 'r') as f:\n" +
      "    f.visititems(visit)\n" +
      "print(json.dumps(out))",
    [path],
  );
  return JSON.parse(out) as Record<string, { chunks: number; inside: boolean }>;
}

describe("the chunk index compress writes", () => {
  it("indexes a 300-frame take (a root over five leaves per image stream), read back bit-exact by h5py", async () => {
    const path = copyFixture(FAULTED_EPISODE, dir.path);
    expect((await compressEpisode(path)).status).toBe("compressed");
    const report = compareWithH5py(FAULTED_EPISODE, path);
    expect(Object.values(report.datasets).every((d) => d.equal)).toBe(true);
    const index = chunkIndex(path);
    expect(index["realsense/cam0/color"]).toEqual({ chunks: 300, inside: true });
    expect(index["gelsight/right/frames"]).toEqual({ chunks: 300, inside: true });
    expect(Object.values(index).every((d) => d.inside)).toBe(true);
  }, 240_000); // a 34 MB take copied, verified and read twice by h5py, on a loaded 2-core machine

  it("indexes 5000 chunks of one dataset (three levels: 79 leaves, 2 nodes, a root)", async () => {
    const path = join(dir.path, "episode_000.h5");
    const source = join(dir.path, "source.h5");
    for (const file of [path, source]) {
      const h5 = await loadH5();
      const out = new h5.File(file, "w");
      out.create_dataset({
        name: "rows",
        data: Int32Array.from({ length: 5000 * 3 }, (_, i) => (i * 7919) % 100_003),
        shape: [5000, 3],
        maxshape: [null, 3],
        chunks: [1, 3],
        dtype: "<i",
      });
      out.close();
    }
    expect((await compressEpisode(path)).status).toBe("compressed");
    const report = compareWithH5py(source, path);
    expect(report.datasets.rows).toEqual({
      dtype: "<i4",
      shape: [5000, 3],
      maxshape: [null, 3],
      chunks: [1, 3],
      compression: "gzip",
      compression_opts: 4,
      shuffle: false,
      equal: true,
    });
    expect(chunkIndex(path)).toEqual({ rows: { chunks: 5000, inside: true } });
  });
});
