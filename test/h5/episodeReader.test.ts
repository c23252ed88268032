import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import h5wasm from "h5wasm/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EpisodeError, EpisodeReader, loadH5 } from "../../hw/h5/index.js";
import { recorderEpisode, tempDir } from "../helpers/paths.js";
import { python } from "../helpers/python.js";

const dir = tempDir();
const BLOSC = recorderEpisode("blosc");
afterAll(dir.cleanup);

/** A copy of the real BLOSC episode, edited by h5py the way a broken recorder could leave it. */
function broken(name: string, edit: string): string {
  const path = join(dir.path, name);
  copyFileSync(BLOSC, path);
  python(`import sys, h5py, hdf5plugin, numpy as np\nwith h5py.File(sys.argv[1], "a") as f:\n${edit}`, [
    path,
  ]);
  return path;
}

async function openError(path: string): Promise<EpisodeError> {
  try {
    (await EpisodeReader.open(path)).close();
  } catch (error) {
    if (error instanceof EpisodeError) return error;
    throw error;
  }
  throw new Error(`${path} opened`);
}

describe("EpisodeReader on the recorder's real files", () => {
  const frames: Record<string, { first: string; ot: string }> = {};

  beforeAll(() => {
    // Independent reference: h5py reads the same pixels and poses.
    const out = python(
      `import sys, json, hashlib, h5py, hdf5plugin
res = {}
for p in sys.argv[1:]:
    with h5py.File(p, "r") as f:
        res[p] = {"first": hashlib.sha256(f["gelsight/right/frames"][7].tobytes()).hexdigest() + hashlib.sha256(f["realsense/cam2/color"][59].tobytes()).hexdigest(),
                  "ot": hashlib.sha256(f["optitrack/sensor_left/pose"][:].tobytes()).hexdigest()}
print(json.dumps(res))`,
      (["blosc", "lzf", "gzip-shuffle"] as const).map(recorderEpisode),
    );
    Object.assign(frames, JSON.parse(out));
  });

  it.each(["blosc", "lzf", "gzip-shuffle"] as const)(
    "reads %s frames and OT bit-exact with h5py",
    async (filter) => {
      const path = recorderEpisode(filter);
      const reader = await EpisodeReader.open(path);
      try {
        expect([reader.frameCount, reader.height, reader.width]).toEqual([60, 480, 640]);
        expect(reader.metadata).toEqual({
          fps: 30,
          task: "motherboard",
          createdAt: "2026-05-30T00:30:00",
          realsenseSerials: ["143322063538", "104122062574", "217222066989"],
          gelsightSerials: ["2BGLKZNT", "2BKRDTAD"],
        });
        const { createHash } = await import("node:crypto");
        const sha = (a: ArrayBufferView) =>
          createHash("sha256")
            .update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength))
            .digest("hex");
        expect(sha(reader.gel("right", 7)) + sha(reader.color("cam2", 59))).toBe(frames[path]?.first);
        expect(sha(reader.ot("sensor_left").pose)).toBe(frames[path]?.ot);
        expect(reader.ot("sensor_left").timestamps.length).toBe(242);
        expect(reader.depth("cam0", 3).length).toBe(480 * 640);
      } finally {
        reader.close();
      }
    },
  );

  it("refuses frame indices outside the take", async () => {
    const reader = await EpisodeReader.open(BLOSC);
    expect(() => reader.gel("left", 60)).toThrow(`${BLOSC} [gelsight/left/frames]: frame 60 outside 0..59`);
    reader.close();
  });
});

describe("EpisodeReader on bad input", () => {
  it("names a missing dataset", async () => {
    const path = broken("missing.h5", `    del f["realsense/cam1/color"]`);
    const error = await openError(path);
    expect([error.code, error.dataset, error.corrupt]).toEqual([
      "missing_dataset",
      "realsense/cam1/color",
      true,
    ]);
    expect(error.message).toBe(`${path} [realsense/cam1/color]: missing dataset: not in the file`);
  });

  it("names image datasets that disagree on T", async () => {
    const path = broken(
      "mismatch.h5",
      `    d = f["gelsight/left/frames"][:59]\n    del f["gelsight/left/frames"]\n    f.create_dataset("gelsight/left/frames", data=d, chunks=(1, 480, 640, 3))`,
    );
    const error = await openError(path);
    expect(error.code).toBe("frame_count_mismatch");
    expect(error.message).toBe(
      `${path}: frame count mismatch: timestamps=60, realsense/cam0/color=60, realsense/cam1/color=60, realsense/cam2/color=60, gelsight/left/frames=59, gelsight/right/frames=60`,
    );
  });

  it("names timestamps whose length is not T", async () => {
    const path = broken(
      "ts.h5",
      `    t = f["timestamps"][:]\n    del f["timestamps"]\n    f["timestamps"] = np.append(t, t[-1] + 0.033)`,
    );
    expect((await openError(path)).code).toBe("frame_count_mismatch");
  });

  it("names a wrong dtype and a wrong pose shape", async () => {
    const dtype = broken(
      "dtype.h5",
      `    d = f["realsense/cam0/color"][:].astype("u2")\n    del f["realsense/cam0/color"]\n    f["realsense/cam0/color"] = d`,
    );
    expect((await openError(dtype)).message).toBe(
      `${dtype} [realsense/cam0/color]: bad dtype: expected uint8, found <H`,
    );
    const pose = broken(
      "pose.h5",
      `    p = f["optitrack/motherboard/pose"][:, :6]\n    del f["optitrack/motherboard/pose"]\n    f["optitrack/motherboard/pose"] = p`,
    );
    expect((await openError(pose)).message).toBe(
      `${pose} [optitrack/motherboard/pose]: bad shape: expected [242, 7], found [242,6]`,
    );
  });

  it("reports a truncated file as truncated", async () => {
    const path = join(dir.path, "truncated.h5");
    writeFileSync(path, readFileSync(BLOSC).subarray(0, 1_000_000));
    const error = await openError(path);
    expect(error.code).toBe("truncated");
    expect(error.message).toContain("truncated file: eof = 1000000");
  });

  it("reports a file that is not HDF5, and a path that does not exist", async () => {
    const junk = join(dir.path, "junk.h5");
    writeFileSync(junk, "not an hdf5 file\n");
    expect((await openError(junk)).code).toBe("open_failed");
    expect((await openError(join(dir.path, "nope.h5"))).message).toBe(
      `${join(dir.path, "nope.h5")}: not found: no such file`,
    );
  });

  describe("a filter this machine cannot decode", () => {
    let path = "";
    beforeAll(() => {
      // FCIDECOMP (32018) is not in h5wasm-plugins: chunks written raw, as a recorder with that plugin would.
      path = broken(
        "fci.h5",
        `    del f["gelsight/left/frames"]\n    d = f.create_dataset("gelsight/left/frames", shape=(60, 480, 640, 3), dtype="u1", chunks=(1, 480, 640, 3), compression=32018, allow_unknown_filter=True)\n    for i in range(60): d.id.write_direct_chunk((i, 0, 0, 0), bytes(range(256)) * 4)`,
      );
    });

    it("is refused before any read, and is not called corrupt", async () => {
      const error = await openError(path);
      expect([error.code, error.corrupt]).toEqual(["missing_filter", false]);
      expect(error.message).toBe(
        `${path} [gelsight/left/frames]: missing filter: HDF5 filter 32018 is not available to rigwatch`,
      );
    });

    it("would throw inside h5wasm too: the throwing error handler is on (without it the read returns garbage)", async () => {
      await loadH5();
      const file = new h5wasm.File(path, "r");
      try {
        const dataset = file.get("gelsight/left/frames") as InstanceType<typeof h5wasm.Dataset>;
        expect(() => dataset.slice([[0, 1]])).toThrow(/filter/i);
      } finally {
        file.close();
      }
    });
  });
});
