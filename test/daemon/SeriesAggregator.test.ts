import { describe, expect, it } from "vitest";
import { SeriesAggregator } from "../../daemon/SeriesAggregator.js";
import type { PoseSample } from "../../detectors/samples.js";

/** A body moving along x at `speed` m/s, sampled at `hz`, receive time = source time + 1000 s. */
function samples(
  body: string,
  speed: number,
  hz: number,
  seconds: number,
  valid = (_i: number) => true,
): PoseSample[] {
  return Array.from({ length: Math.round(seconds * hz) }, (_, i) => ({
    body,
    t: i / hz,
    rx: 1000 + i / hz,
    position: [speed * (i / hz), 0, 0] as const,
    quaternion: [0, 0, 0, 1] as const,
    valid: valid(i),
  }));
}

describe("SeriesAggregator", () => {
  it("sends each body's speed thinned to one point per 1/30 s, and nothing when nothing came", () => {
    const series = new SeriesAggregator();
    expect(series.flush()).toBeUndefined();
    for (const s of samples("sensor_left", 0.5, 240, 1)) series.pose(s);
    const message = series.flush();
    const points = message?.speed.sensor_left ?? [];
    // 1 s at 240 Hz: 30 buckets, the last still open.
    expect(points.length).toBe(29);
    for (const [t, v] of points) {
      expect(t).toBeGreaterThanOrEqual(1000);
      expect(v).toBeCloseTo(0.5, 9);
    }
    expect(message?.intensity).toEqual({});
    expect(series.flush()).toBeUndefined();
  });

  it("keeps a teleport's spike: the largest value of each bucket", () => {
    const series = new SeriesAggregator();
    const run = samples("sensor_left", 0.1, 120, 1);
    const jumped = run.map((s, i) =>
      i === 30 ? { ...s, position: [s.position[0] + 0.3, 0, 0] as const } : s,
    );
    for (const s of jumped) series.pose(s);
    const points = series.flush()?.speed.sensor_left ?? [];
    expect(Math.max(...points.map(([, v]) => v))).toBeCloseTo(0.3 * 120 + 0.1, 6);
  });

  it("takes no speed across a lost sample: a body that moved while untracked makes no spike", () => {
    const series = new SeriesAggregator();
    const run = samples("sensor_left", 0.1, 120, 1, (i) => i !== 60);
    const moved = run.map((s, i) => (i > 60 ? { ...s, position: [s.position[0] + 1, 0, 0] as const } : s));
    for (const s of moved) series.pose(s);
    const points = series.flush()?.speed.sensor_left ?? [];
    for (const [, v] of points) expect(v).toBeCloseTo(0.1, 6);
  });

  it("sends GelSight intensity by side", () => {
    const series = new SeriesAggregator();
    series.intensity("left", 2.2, 1000);
    series.intensity("left", 2.4, 1000.05);
    series.intensity("right", Number.NaN, 1000.05);
    expect(series.flush()).toEqual({ type: "series", speed: {}, intensity: { left: [[1000, 2.2]] } });
  });
});
