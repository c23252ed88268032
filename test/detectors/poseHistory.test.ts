import { describe, expect, it } from "vitest";
import { PoseHistory } from "../../detectors/live/PoseHistory.js";
import { otWindowEvidence } from "../../detectors/ot/index.js";
import type { PoseSample } from "../../detectors/samples.js";
import { mulberry32 } from "../../sim/episode/prng.js";

const INVALID_NORM = 0.5;
const KEEP_S = 2;

describe("PoseHistory", () => {
  it("answers every window it keeps as the whole stream would, through growth and compaction", () => {
    const random = mulberry32(7);
    const history = new PoseHistory({ keepS: KEEP_S, invalidQuatNorm: INVALID_NORM });
    const times: number[] = [];
    const rows: number[] = [];
    let t = 100;
    let checked = 0;
    // 20 s at 240 Hz: the storage grows past 1,024 samples, then compacts as old ones are forgotten.
    for (let i = 0; i < 4800; i++) {
      t += i % 997 === 500 ? 0.3 : 1 / 240; // a gap now and then
      const valid = i % 613 !== 0;
      const zeroQuat = i % 809 === 3;
      const sample: PoseSample = {
        body: "sensor_left",
        t,
        rx: t,
        position: [random(), random(), random()],
        quaternion: zeroQuat ? [0, 0, 0, 0] : [random() - 0.5, random() - 0.5, random() - 0.5, 1],
        valid,
      };
      history.push(sample);
      history.push({ ...sample, t: t - 0.001 }); // out of order: ignored
      times.push(t);
      rows.push(...(valid && !zeroQuat ? [...sample.position, ...sample.quaternion] : Array(7).fill(NaN)));
      if (i % 37 === 0 && t - 100 > KEEP_S) {
        const w0 = t - 0.4 - random() * (KEEP_S - 0.5);
        const whole = otWindowEvidence(
          Float64Array.from(times),
          Float64Array.from(rows),
          w0,
          t,
          INVALID_NORM,
        );
        expect(history.evidence(w0, t)).toEqual(whole);
        checked++;
      }
    }
    expect(checked).toBe(117);
  });

  it("starts a window reaching before its first sample at that sample (not watching is not a gap)", () => {
    const history = new PoseHistory({ keepS: KEEP_S, invalidQuatNorm: INVALID_NORM });
    for (let i = 0; i < 24; i++)
      history.push({
        body: "b",
        t: 10 + i / 240,
        rx: 0,
        position: [0, 0, 0],
        quaternion: [0, 0, 0, 1],
        valid: true,
      });
    // From 10, not 5: the largest gap is one sample period, not the 5 s before the first sample.
    expect(history.evidence(5, 10 + 23 / 240).optGapS).toBeCloseTo(1 / 240, 9);
  });
});
