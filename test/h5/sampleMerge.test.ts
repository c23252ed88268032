import { describe, expect, it } from "vitest";
import { SampleMerge } from "../../hw/h5/SampleMerge.js";

const stream = (body: string, times: number[]) => ({
  body,
  timestamps: Float64Array.from(times),
  pose: Float64Array.from(times.flatMap((t) => [t, 0, 0, 0, 0, 0, 1])),
});

describe("SampleMerge", () => {
  it("interleaves bodies by time and keeps each body's file order", () => {
    const merge = new SampleMerge([stream("a", [1, 3, 2.5, 6]), stream("b", [2, 4, 5])], 0.5);
    const order: string[] = [];
    for (let s = merge.next(); s; s = merge.next()) order.push(`${s.body}${s.t}`);
    expect(order).toEqual(["a1", "b2", "a3", "a2.5", "b4", "b5", "a6"]);
    expect(merge.peekTime()).toBe(Number.POSITIVE_INFINITY);
  });

  it("marks a zero quaternion invalid", () => {
    const s = stream("a", [1]);
    s.pose[6] = 0;
    expect(new SampleMerge([s], 0.5).next()?.valid).toBe(false);
  });
});
