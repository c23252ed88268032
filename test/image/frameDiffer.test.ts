import { describe, expect, it } from "vitest";
import { FrameDiffer, meanAbsDiff, sumAbsDiff } from "../../detectors/image/index.js";

/** Σ|a − b| the plainest way: the reference both paths must equal. */
function byteLoop(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs((a[i] as number) - (b[i] as number));
  return sum;
}

function noise(bytes: number, seed: number): Uint8Array {
  let x = seed | 1;
  return new Uint8Array(bytes).map(() => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x & 0xff;
  });
}

describe("FrameDiffer: each frame's exact sum of absolute differences to the one before", () => {
  it("equals the byte loop on noise, for the rig's frame size and awkward ones", () => {
    for (const bytes of [480 * 640 * 3, 1, 63, 64, 65, 1001, 48 * 64 * 3]) {
      const differ = new FrameDiffer(bytes);
      const frames = [noise(bytes, 1), noise(bytes, 2), noise(bytes, 3)];
      expect(differ.push(frames[0] as Uint8Array)).toBeUndefined();
      expect({ bytes, d: differ.push(frames[1] as Uint8Array) }).toEqual({
        bytes,
        d: byteLoop(frames[1] as Uint8Array, frames[0] as Uint8Array),
      });
      expect({ bytes, d: differ.push(frames[2] as Uint8Array) }).toEqual({
        bytes,
        d: byteLoop(frames[2] as Uint8Array, frames[1] as Uint8Array),
      });
    }
  });

  it("is 0 exactly for a repeated frame, even when only one byte would differ", () => {
    const bytes = 480 * 640 * 3;
    const frame = noise(bytes, 7);
    const differ = new FrameDiffer(bytes);
    differ.push(frame);
    expect(differ.push(frame.slice())).toBe(0);
    for (const at of [0, 63, 64, bytes - 1]) {
      const changed = frame.slice();
      changed[at] = (changed[at] as number) ^ 1;
      expect({ at, d: differ.push(changed) }).toEqual({ at, d: 1 });
      expect(differ.push(frame)).toBe(1);
    }
  });

  it("reaches the extreme sum (every byte 0 against 255) without overflow, over the 8 MB call limit too", () => {
    for (const bytes of [480 * 640 * 3, 9 * 1024 * 1024 + 5]) {
      const differ = new FrameDiffer(bytes);
      differ.push(new Uint8Array(bytes));
      expect({ bytes, d: differ.push(new Uint8Array(bytes).fill(255)) }).toEqual({ bytes, d: 255 * bytes });
    }
  });

  it("copies the frame in: reusing the caller's buffer does not change the next answer", () => {
    const buffer = noise(4096, 11);
    const first = buffer.slice();
    const differ = new FrameDiffer(4096);
    differ.push(buffer);
    buffer.set(noise(4096, 12));
    expect(differ.push(buffer)).toBe(byteLoop(buffer, first));
  });

  it("starts over after reset, and refuses a frame of another size", () => {
    const differ = new FrameDiffer(16);
    differ.push(new Uint8Array(16));
    differ.reset();
    expect(differ.push(new Uint8Array(16).fill(9))).toBeUndefined();
    expect(() => differ.push(new Uint8Array(15))).toThrow(RangeError);
  });

  it("agrees with sumAbsDiff and meanAbsDiff, which the freeze evidence divides it by", () => {
    const a = noise(480 * 640 * 3, 21);
    const b = noise(480 * 640 * 3, 22);
    const differ = new FrameDiffer(a.length);
    differ.push(a);
    const total = differ.push(b) as number;
    expect(total).toBe(sumAbsDiff(a, b));
    expect(total / a.length).toBe(meanAbsDiff(a, b));
  });
});
