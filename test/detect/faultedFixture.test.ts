import { beforeAll, describe, expect, it } from "vitest";
import { defaultConfig } from "../../config/index.js";
import { analyseEpisode, type EpisodeAnalysis } from "../../stages/detect/analyseEpisode.js";
import { FAULTED_EPISODE, FAULTED_TRUTH } from "../helpers/paths.js";
import { python } from "../helpers/python.js";
import { expectedLists, readTruth } from "../helpers/truth.js";

/** The real recorder-format file with injected faults, against its truth file. */
describe("detect on the shared faulted episode", () => {
  const truth = readTruth(FAULTED_TRUTH);
  let analysis: EpisodeAnalysis;

  beforeAll(async () => {
    analysis = await analyseEpisode(FAULTED_EPISODE, {
      key: "faulted/episode_000",
      detect: defaultConfig().detect,
    });
  });

  it("finds every injected fault with the right mode, side and extent", () => {
    expect(analysis.result.lists).toEqual(expectedLists(truth));
  });

  it("keeps every frame (no OT-uninitialised prefix) and detects both sides active", () => {
    expect(analysis.result.trimOffset).toBe(truth.trim_offset);
    expect(analysis.result.activeSensors).toEqual(truth.active_sensors);
    expect(analysis.result.nFrames).toBe(truth.T);
  });

  it("diagnoses both freezes as OT loss: the gap by its length, the hold by its release jump", () => {
    const freezes = analysis.result.freezes.map((f) => [
      f.side,
      f.h5_a,
      f.h5_b,
      f.signals.join("+"),
      f.verdict,
      f.verdict_rule,
    ]);
    expect(freezes).toEqual([
      ["left", 157, 222, "held", "ot_loss", 2],
      ["right", 87, 110, "gap", "ot_loss", 2],
    ]);
    const gap = analysis.result.freezes.find((f) => f.side === "right");
    // The gap's length as h5py reads it from the file: the largest step of the right body's OT times.
    const longest = python(
      `import sys, h5py, numpy as np\nwith h5py.File(sys.argv[1], "r") as f:\n    print(round(float(np.diff(f["optitrack/sensor_right/timestamps"][:]).max()), 4))`,
      [FAULTED_EPISODE],
    );
    expect(gap?.opt_gap_s).toBe(Number(longest));
  });
});
