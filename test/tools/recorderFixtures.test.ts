import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { FAULTED_TRUTH, FIXTURES, RECORDER_FIXTURES } from "../helpers/paths.js";

interface DatasetLayout {
  dtype: string;
  shape: number[];
  maxshape: (number | null)[];
  chunks: number[] | null;
  filters: { id: number; flags: number; cd_values: number[] }[];
}
interface Layout {
  datasets: Record<string, DatasetLayout>;
  attrs: Record<string, unknown>;
  groups: string[];
}

const VERIFY = fileURLToPath(new URL("./verify_episode.py", import.meta.url));
const layoutOf = (path: string): Layout => {
  const r = spawnSync("/usr/bin/python3", [VERIFY, "--layout", path], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  return (JSON.parse(r.stdout) as { layout: Layout }).layout;
};
const REAL = JSON.parse(readFileSync(join(FIXTURES, "h5/recorder-layouts.json"), "utf8")) as Record<
  string,
  Layout
>;

describe("the recorder fixtures the suite reads, written by h5py at test time", () => {
  it.each(Object.keys(REAL))("%s has the layout the rig's recorder library wrote", (name) => {
    const real = REAL[name] as Layout;
    const ours = layoutOf(join(RECORDER_FIXTURES, name));
    expect(ours.groups).toEqual(real.groups);
    expect(ours.attrs).toEqual(real.attrs);
    expect(Object.keys(ours.datasets).sort()).toEqual(Object.keys(real.datasets).sort());
    for (const [path, theirs] of Object.entries(real.datasets)) {
      const mine = ours.datasets[path] as DatasetLayout;
      // Filters with their flags and every cd_value, as the recorder's library sets them.
      expect({ path, dtype: mine.dtype, maxshape: mine.maxshape, filters: mine.filters }).toEqual({
        path,
        dtype: theirs.dtype,
        maxshape: theirs.maxshape,
        filters: theirs.filters,
      });
      // OT sample counts follow the seed's clock jitter; image and tick datasets match exactly.
      if (!path.startsWith("optitrack/"))
        expect({ path, shape: mine.shape, chunks: mine.chunks }).toEqual({
          path,
          shape: theirs.shape,
          chunks: theirs.chunks,
        });
    }
  });

  it("the faulted take carries the team's original fixture's truth", () => {
    const original = JSON.parse(readFileSync(join(FIXTURES, "h5/original-faulted.truth.json"), "utf8"));
    const { drift, ...truth } = JSON.parse(readFileSync(FAULTED_TRUTH, "utf8"));
    expect(truth).toEqual(original);
    expect(drift).toEqual({ left: false, right: false });
  });
});
