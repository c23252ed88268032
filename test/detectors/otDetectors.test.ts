import { describe, expect, it } from "vitest";
import { FrameClock } from "../../detectors/frameClock.js";
import {
  OtLossDetector,
  type OtLossSpan,
  TeleportDetector,
  type TeleportEvent,
} from "../../detectors/ot/index.js";
import type { PoseSample } from "../../detectors/samples.js";

const config = { otGapS: 0.1, freezeThresholdS: 0.25, invalidQuatNorm: 0.5 };
const teleportConfig = {
  velocityMps: 5,
  angularRadS: 15,
  combine: "or" as const,
  otGapS: 0.1,
  invalidQuatNorm: 0.5,
};
const IDENTITY = [0, 0, 0, 1] as const;

function sample(
  t: number,
  x: number,
  q: readonly [number, number, number, number] = IDENTITY,
  valid = true,
): PoseSample {
  return { body: "sensor_left", t, rx: t, position: [x, 0, 0], quaternion: q, valid };
}

/** 100 Hz samples moving at 0.1 m/s, with overrides per index. */
function stream(
  n: number,
  edit: (i: number, s: PoseSample) => PoseSample | undefined = (_, s) => s,
): PoseSample[] {
  const out: PoseSample[] = [];
  for (let i = 0; i < n; i++) {
    const s = edit(i, sample(i / 100, i / 1000));
    if (s) out.push(s);
  }
  return out;
}

function lossSpans(samples: readonly PoseSample[], end: number): OtLossSpan[] {
  const d = new OtLossDetector("sensor_left", config, 0);
  return [...samples.flatMap((s) => d.push(s)), ...d.finish(end)];
}

function teleports(samples: readonly PoseSample[], combine: "or" | "and" = "or"): TeleportEvent[] {
  const d = new TeleportDetector("sensor_left", { ...teleportConfig, combine });
  return samples.flatMap((s) => d.push(s) ?? []);
}

describe("OtLossDetector", () => {
  it("finds nothing in a steady moving stream", () => {
    expect(lossSpans(stream(200), 1.99)).toEqual([]);
  });

  it("reports a gap between valid samples, open at its start", () => {
    const spans = lossSpans(
      stream(200, (i, s) => (i >= 50 && i < 62 ? undefined : s)),
      1.99,
    );
    expect(spans).toEqual([{ body: "sensor_left", kind: "gap", start: 0.49, startOpen: true, end: 0.62 }]);
  });

  it("ignores a gap just under the threshold", () => {
    expect(
      lossSpans(
        stream(200, (i, s) => (i >= 50 && i < 59 ? undefined : s)),
        1.99,
      ),
    ).toEqual([]);
  });

  it("reports a held pose from its first repeat once it lasts 0.25 s", () => {
    const held = stream(200, (i, s) => (i >= 40 && i <= 70 ? sample(i / 100, 0.04) : s));
    expect(lossSpans(held, 1.99)).toEqual([
      { body: "sensor_left", kind: "held", start: 0.41, startOpen: false, end: 0.7 },
    ]);
    const short = stream(200, (i, s) => (i >= 40 && i <= 64 ? sample(i / 100, 0.04) : s));
    expect(lossSpans(short, 1.99)).toEqual([]);
  });

  it("reports invalid samples: valid bit clear, zero or NaN quaternion", () => {
    const invalid = stream(200, (i, s) => {
      if (i === 20) return { ...s, valid: false };
      if (i === 80 || i === 81) return sample(i / 100, i / 1000, [0, 0, 0, 0]);
      if (i === 150) return sample(i / 100, Number.NaN);
      return s;
    });
    expect(lossSpans(invalid, 1.99).map((s) => [s.kind, s.start, s.end])).toEqual([
      ["invalid", 0.2, 0.2],
      ["invalid", 0.8, 0.81],
      ["invalid", 1.5, 1.5],
    ]);
  });

  it("reports a silent start and a silent end against the take's extent", () => {
    const late = stream(200).filter((s) => s.t >= 0.3 && s.t <= 1.5);
    // The opening silence includes the take's first tick; a later one starts after the last sample.
    expect(lossSpans(late, 1.99).map((s) => [s.kind, s.start, s.startOpen, s.end])).toEqual([
      ["gap", 0, false, 0.3],
      ["gap", 1.5, true, 1.99],
    ]);
  });

  it("reports a stream with no samples at all as one gap", () => {
    expect(lossSpans([], 2)).toEqual([
      { body: "sensor_left", kind: "gap", start: 0, startOpen: false, end: 2 },
    ]);
  });

  it("counts and ignores samples whose time does not advance", () => {
    const d = new OtLossDetector("sensor_left", config, 0);
    for (const s of [
      sample(0.01, 0),
      sample(0.02, 0.001),
      sample(0.02, 0.002),
      sample(0.015, 0.003),
      sample(0.03, 0.004),
    ])
      d.push(s);
    expect(d.outOfOrder).toBe(2);
  });

  it("says live whether the body is holding or invalid right now", () => {
    const d = new OtLossDetector("sensor_left", config, 0);
    for (let i = 0; i <= 30; i++) d.push(sample(i / 100, 0.5));
    expect(d.holding).toBe(true);
    d.push(sample(0.31, 0.6));
    expect(d.holding).toBe(false);
    d.push(sample(0.32, 0.6, [0, 0, 0, 0]));
    expect(d.invalid).toBe(true);
  });
});

describe("TeleportDetector", () => {
  it("flags both jumps of a 2-sample translation glitch", () => {
    const glitch = stream(100, (i, s) => (i === 50 || i === 51 ? sample(i / 100, i / 1000 + 0.2) : s));
    expect(teleports(glitch).map((e) => [e.tA, e.tB, Math.round(e.velocityMps * 10) / 10])).toEqual([
      [0.49, 0.5, 20.1],
      [0.51, 0.52, 19.9],
    ]);
  });

  it("flags a rotation glitch and measures the angle double-cover safe", () => {
    const flip = [0, 1, 0, 0] as const; // 180° about y
    const glitch = stream(100, (i, s) => (i === 30 ? sample(i / 100, i / 1000, flip) : s));
    expect(teleports(glitch).map((e) => [e.tB, Math.round(e.angularRadS)])).toEqual([
      [0.3, 314],
      [0.31, 314],
    ]);
  });

  it("does not flag a quaternion sign flip: q and -q are the same rotation", () => {
    const q = [0.1, 0.2, 0.3, Math.sqrt(1 - 0.14)] as const;
    const minus = [-q[0], -q[1], -q[2], -q[3]] as const;
    expect(teleports(stream(100, (i) => sample(i / 100, i / 1000, i >= 50 ? minus : q)))).toEqual([]);
  });

  it("never uses an invalid sample as an endpoint", () => {
    const zero = stream(100, (i, s) => (i === 40 ? sample(i / 100, 5, [0, 0, 0, 0]) : s));
    expect(teleports(zero)).toEqual([]);
  });

  it("measures a held pose's release over the whole hold: part of the OT loss, not a teleport", () => {
    // Held for 0.3 s while the body moved 3 cm; at 10 ms dt that jump would be 3 m/s... and 30 cm → 30 m/s.
    const held = stream(100, (i, s) =>
      i >= 40 && i < 70 ? sample(i / 100, 0.04) : i >= 70 ? sample(i / 100, 0.34 + i / 1000) : s,
    );
    expect(teleports(held)).toEqual([]);
  });

  it("does not flag the jump after a gap (long real dt)", () => {
    const gap = stream(100, (i, s) => (i > 40 && i < 60 ? undefined : i >= 60 ? sample(i / 100, 0.3) : s));
    expect(teleports(gap)).toEqual([]);
  });

  it('combines translation and rotation with "or" by default, "and" on request', () => {
    const glitch = stream(100, (i, s) => (i === 50 ? sample(i / 100, i / 1000 + 0.2) : s));
    expect(teleports(glitch, "or")).toHaveLength(2);
    expect(teleports(glitch, "and")).toHaveLength(0);
  });
});

describe("FrameClock", () => {
  const clock = new FrameClock(Float64Array.from([1, 2, 3, 4]));

  it("gives each frame the time since the previous tick", () => {
    expect([0.5, 1, 1.5, 2, 4, 4.5].map((t) => clock.frameOwning(t))).toEqual([0, 0, 1, 1, 3, 4]);
    expect(clock.framesOf({ start: 1, startOpen: true, end: 3 })).toEqual([1, 2]);
    expect(clock.framesOf({ start: 1, startOpen: false, end: 3 })).toEqual([0, 2]);
    expect(clock.framesOf({ start: 4, startOpen: true, end: 9 })).toBeUndefined();
    expect(clock.framesOf({ start: 3.5, startOpen: false, end: 9 })).toEqual([3, 3]);
  });

  it("aligns each tick to the nearest sample, ties to the earlier one", () => {
    expect(Array.from(clock.nearestSamples(Float64Array.from([0.9, 1.5, 2.5, 3.9])))).toEqual([0, 1, 2, 3]);
    expect(Array.from(clock.nearestSamples(Float64Array.from([1.5])))).toEqual([0, 0, 0, 0]);
    expect(Array.from(clock.nearestSamples(new Float64Array(0)))).toEqual([-1, -1, -1, -1]);
  });
});
