import { describe, expect, it } from "vitest";
import { detectActiveSides } from "../../detectors/activeSides.js";
import { FrameClock } from "../../detectors/frameClock.js";
import { classifyFreeze, type FreezeEvidence, isOtLoss } from "../../detectors/freezeClassifier.js";
import { frameCount, mergeIntervals, padIntervals, trimIntervals } from "../../detectors/intervals.js";
import { OnlineSpikeDetector } from "../../detectors/OnlineSpikeDetector.js";
import { spikeIntervals, spikeThreshold } from "../../detectors/spike.js";
import { StallWindow, stallIntervals } from "../../detectors/stall.js";
import { percentile, runningMedian } from "../../detectors/stats.js";
import { computeTrim, steadyStart } from "../../detectors/trim.js";

const spikeConfig = { tauIntensity: 30, percentile: 99.9, medianHalfWindow: 7 };

describe("intervals", () => {
  it("merges touching and overlapping intervals", () => {
    expect(
      mergeIntervals([
        [10, 12],
        [0, 2],
        [3, 4],
        [11, 15],
        [17, 17],
      ]),
    ).toEqual([
      [0, 4],
      [10, 15],
      [17, 17],
    ]);
  });
  it("pads, clamps to the take, and re-indexes after trim", () => {
    expect(
      padIntervals(
        [
          [1, 1],
          [8, 8],
          [20, 29],
        ],
        3,
        30,
      ),
    ).toEqual([
      [0, 11],
      [17, 29],
    ]);
    expect(
      trimIntervals(
        [
          [0, 4],
          [8, 12],
          [20, 22],
        ],
        10,
      ),
    ).toEqual([
      [0, 2],
      [10, 12],
    ]);
    expect(
      frameCount([
        [0, 4],
        [3, 6],
        [10, 10],
      ]),
    ).toBe(8);
  });
});

describe("stats", () => {
  it("interpolates percentiles like NumPy", () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(
      percentile(
        Array.from({ length: 300 }, (_, i) => i),
        99.9,
      ),
    ).toBeCloseTo(298.701, 9);
  });
  it("takes a running median with clipped windows", () => {
    expect(Array.from(runningMedian([0, 0, 9, 0, 0, 5, 5, 5], 1))).toEqual([0, 0, 0, 0, 0, 5, 5, 5]);
  });
});

describe("spikes", () => {
  const quiet = (): number[] => Array.from({ length: 300 }, (_, k) => (k >= 100 && k < 160 ? 40 : 1));

  it("finds a single flicker frame that literal p99.9 would hide", () => {
    const x = quiet();
    x[31] = 100;
    x[200] = 75;
    x[201] = 76;
    // Baseline 40 (the contact plateau), threshold 70: both flickers; the contact is not a spike.
    expect(spikeThreshold(x, spikeConfig)).toBe(70);
    expect(spikeIntervals(x, spikeConfig)).toEqual([
      [31, 31],
      [200, 201],
    ]);
  });

  it("does not flag a contact plateau or a step", () => {
    const x = Array.from({ length: 300 }, (_, k) => (k >= 150 ? 60 : 0));
    expect(spikeIntervals(x, spikeConfig)).toEqual([]);
  });

  it("live: waits out the warm-up, confirms the return, ignores a step", () => {
    const d = new OnlineSpikeDetector({ ...spikeConfig, warmupFrames: 30, confirmFrames: 2 });
    const x: number[] = Array.from({ length: 120 }, (_, k) => (k >= 90 ? 60 : 2));
    x[10] = 120; // inside the warm-up: never flagged
    x[50] = 90;
    const decisions = x.map((v) => d.push(v)).filter((s) => s !== undefined);
    expect(decisions).toEqual([{ index: 50, intensity: 90, threshold: 32 }]);
  });
});

describe("pipeline stall", () => {
  const repeatsFrom = (n: number, stall: [number, number], extra: number[] = []) => {
    const r = new Uint8Array(n);
    for (let k = stall[0]; k <= stall[1]; k++) r[k] = 1;
    for (const k of extra) r[k] = 1;
    return r;
  };

  it("flags frames repeated in every camera over at least 30 % of a 1 s window", () => {
    const cams = [repeatsFrom(200, [60, 79]), repeatsFrom(200, [60, 79], [5]), repeatsFrom(200, [61, 79])];
    expect(stallIntervals(cams, { dupFraction: 0.3, windowFrames: 30 })).toEqual([[60, 79]]);
  });

  it("ignores one frozen camera and short repeats", () => {
    const frozen = [repeatsFrom(200, [20, 150]), repeatsFrom(200, [0, -1]), repeatsFrom(200, [0, -1])];
    expect(stallIntervals(frozen, { dupFraction: 0.3, windowFrames: 30 })).toEqual([]);
    const short = [repeatsFrom(200, [60, 67]), repeatsFrom(200, [60, 67]), repeatsFrom(200, [60, 67])];
    expect(stallIntervals(short, { dupFraction: 0.3, windowFrames: 30 })).toEqual([]);
  });

  it("live window raises on the frame the fraction is reached", () => {
    const w = new StallWindow(3, { dupFraction: 0.3, windowFrames: 30 });
    const states = Array.from({ length: 60 }, (_, k) => w.push([k >= 40, k >= 40, k >= 40]));
    expect(states.indexOf(true)).toBe(48);
  });
});

describe("freeze classifier", () => {
  const config = {
    stallDupFraction: 0.3,
    otGapS: 0.1,
    velocityMps: 5,
    angularRadS: 15,
    stillCameraMotion: 2,
    stillTactileMotion: 3,
    ambiguousCameraMotion: 4,
    ambiguousTactileMotion: 5,
  };
  const base: FreezeEvidence = {
    transVelNearMps: 0.1,
    angVelNearRadS: 0.2,
    optGapS: 0.01,
    invalidSamples: false,
    cameraDupFraction: [0, 0, 0],
    cameraDupFractionInside: [0, 0, 0],
    cameraMotion: [6, 7, 8],
    tactileDupFraction: 0.9,
    tactileMotion: 0,
  };

  it.each([
    [{ cameraDupFraction: [0.3, 0.5, 0.4], cameraDupFractionInside: [1, 1, 0.3] }, "pipeline_stall", 1],
    // A stall in the window but not over the candidate's own frames does not explain an OT gap.
    [{ cameraDupFraction: [0.3, 0.5, 0.4], cameraDupFractionInside: [0, 0, 0], optGapS: 0.5 }, "ot_loss", 2],
    [{ cameraDupFraction: [0.3, 0.5, 0.29], optGapS: 0.5 }, "ot_loss", 2],
    [{ transVelNearMps: 5 }, "ot_loss", 2],
    [{ angVelNearRadS: 15 }, "ot_loss", 2],
    [{ invalidSamples: true }, "ot_loss", 2],
    [{ cameraMotion: [1.9, 0, 1], tactileMotion: 2.9 }, "real_still", 3],
    [{ cameraMotion: [1.9, 2, 1], tactileMotion: 2.9 }, "ambiguous", 4],
    [{ cameraMotion: [3.9, 2, 1], tactileMotion: 4.9 }, "ambiguous", 4],
    [{ cameraMotion: [4, 2, 1], tactileMotion: 0 }, "ot_loss", 5],
    [{ cameraMotion: [1, 1, 1], tactileMotion: 5 }, "ot_loss", 5],
  ])("%j → %s (rule %i)", (override, verdict, rule) => {
    expect(classifyFreeze({ ...base, ...override }, config)).toMatchObject({ verdict, rule });
  });

  it("lists ot_loss and ambiguous as OT loss, not real_still; a stall only when OT's own clock shows the loss too", () => {
    const diagnose = (override: Partial<FreezeEvidence>) => classifyFreeze({ ...base, ...override }, config);
    const stall = { cameraDupFraction: [1, 1, 1], cameraDupFractionInside: [1, 1, 1] };
    expect(isOtLoss(diagnose({ optGapS: 0.5 }))).toBe(true);
    expect(isOtLoss(diagnose({ cameraMotion: [3, 3, 3] }))).toBe(true); // ambiguous
    expect(isOtLoss(diagnose({ cameraMotion: [0, 0, 0] }))).toBe(false); // real_still
    expect(diagnose({ ...stall, optGapS: 0.5 })).toEqual({
      verdict: "pipeline_stall",
      rule: 1,
      otEvidence: true,
    });
    expect(isOtLoss(diagnose({ ...stall, optGapS: 0.5 }))).toBe(true);
    expect(isOtLoss(diagnose({ ...stall }))).toBe(false);
  });
});

describe("trim", () => {
  const trimConfig = { maxGapS: 0.5, steadyS: 1, startGraceS: 0.1 };
  const steadyFrom = (start: number, trickle: number[] = []) => [
    ...trickle,
    ...Array.from({ length: 400 }, (_, i) => start + i / 120),
  ];

  it("finds where a trickle becomes a steady stream", () => {
    expect(steadyStart(steadyFrom(5, [0.2, 1.9, 3.5]), trimConfig)).toBe(5);
    expect(steadyStart([0, 0.6, 1.2, 1.8], trimConfig)).toBeUndefined();
  });

  it("trims to the first camera frame from which every active body streams", () => {
    const clock = new FrameClock(Float64Array.from({ length: 300 }, (_, k) => k / 30));
    expect(computeTrim(clock, [steadyFrom(2.01, [0.5, 1.2]), steadyFrom(0)], trimConfig)).toEqual({
      trimOffset: 61,
      trimReason: "ot_uninitialised",
      preTrimFrames: 300,
    });
    expect(computeTrim(clock, [steadyFrom(0)], trimConfig)).toEqual({
      trimOffset: 0,
      trimReason: "none",
      preTrimFrames: 300,
    });
    // OT a few milliseconds late is not an uninitialised prefix; 0.2 s late is.
    expect(computeTrim(clock, [steadyFrom(0.005)], trimConfig).trimOffset).toBe(0);
    expect(computeTrim(clock, [steadyFrom(0.2)], trimConfig).trimOffset).toBe(6);
    expect(computeTrim(clock, [[0.5, 2.5]], trimConfig)).toEqual({
      trimOffset: 300,
      trimReason: "no_steady_ot",
      preTrimFrames: 300,
    });
  });
});

describe("active sides", () => {
  it("counts a side active on contact or on more than 5 cm of travel", () => {
    const config = { minMotionM: 0.05, minContactFrames: 10 };
    expect(
      detectActiveSides(
        [
          { side: "left", contactFrames: 0, bodyTravelM: 0.2 },
          { side: "right", contactFrames: 9, bodyTravelM: 0.01 },
        ],
        config,
      ),
    ).toEqual(["left"]);
    expect(detectActiveSides([{ side: "right", contactFrames: 10, bodyTravelM: 0 }], config)).toEqual([
      "right",
    ]);
  });
});
