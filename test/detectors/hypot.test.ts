import { describe, expect, it } from "vitest";
import { hypot3, hypot4 } from "../../detectors/ot/hypot.js";
import { mulberry32 } from "../../sim/episode/prng.js";

/** Bitwise equality, so that -0, NaN and the last bit all count. */
const bits = (x: number) => {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  return view.getBigUint64(0).toString(16);
};

describe("hypot3 / hypot4", () => {
  it("give Math.hypot's every bit on OT-like and wide-range inputs", () => {
    const random = mulberry32(20261203);
    // Metres and quaternion components as NatNet sends them (float32), and magnitudes over 24 decades.
    const f32 = new Float32Array(4);
    const wide = () => (random() - 0.5) * 10 ** Math.floor(random() * 24 - 12);
    let compared = 0;
    for (let i = 0; i < 200_000; i++) {
      for (let k = 0; k < 4; k++) f32[k] = i % 2 === 0 ? random() * 2 - 1 : wide();
      const [a, b, c, d] = [f32[0] as number, f32[1] as number, f32[2] as number, f32[3] as number];
      const x = i % 3 === 0 ? a - b : wide();
      if (bits(hypot3(x, b, c)) !== bits(Math.hypot(x, b, c))) throw new Error(`hypot3(${x}, ${b}, ${c})`);
      if (bits(hypot4(a, b, c, d)) !== bits(Math.hypot(a, b, c, d)))
        throw new Error(`hypot4(${a}, ${b}, ${c}, ${d})`);
      compared += 2;
    }
    expect(compared).toBe(400_000);
  });

  it("follow the spec's special cases: Infinity over NaN, NaN, zeros", () => {
    expect(hypot3(Infinity, Number.NaN, 1)).toBe(Infinity);
    expect(hypot3(Number.NaN, 1, -Infinity)).toBe(Infinity);
    expect(hypot4(1, 2, Number.NaN, 3)).toBeNaN();
    expect(Object.is(hypot3(-0, 0, -0), 0)).toBe(true);
    expect(hypot4(0, 0, 0, 0)).toBe(0);
    expect(hypot3(3, 4, 12)).toBe(13);
    expect(hypot4(1, 1, 1, 1)).toBe(2);
  });
});
