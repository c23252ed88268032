import { describe, expect, it } from "vitest";
import type { TapMessage } from "../../hw/tap/protocol.js";
import { SequenceTracker } from "../../hw/tap/SequenceTracker.js";
import { TapGuard } from "../../hw/tap/TapGuard.js";

const T0 = 1_795_470_000;
const options = { maxAheadS: 1, maxBehindS: 30, senderTakeoverS: 1 };

function tick(
  seq: number,
  rx: number,
  extra: Partial<{ sender: string; t: number; ts: number; dropped: number }> = {},
): TapMessage {
  return {
    topic: "tick",
    v: 1,
    sender: extra.sender ?? "a1",
    seq,
    t: extra.t ?? rx,
    dropped: extra.dropped ?? 0,
    frame: seq,
    ts: extra.ts ?? rx - 0.01,
    episode: 1,
    streams: [],
  };
}

/** A guard that has believed ticks 0..9 of sender a1, 1/30 s apart, ending at T0. */
function warmedUp(): TapGuard {
  const guard = new TapGuard(options);
  for (let i = 0; i < 10; i++) {
    const rx = T0 - (9 - i) / 30;
    expect(guard.admit(tick(i, rx), rx)).toMatchObject({ ok: true });
  }
  return guard;
}

describe("TapGuard: what the tap believes", () => {
  it("refuses times far ahead of or behind the receive clock, and they change nothing", () => {
    const guard = warmedUp();
    expect(guard.admit(tick(10, T0 + 0.1, { ts: T0 + 1e6 }), T0 + 0.1)).toEqual({
      ok: false,
      reason: "time",
      detail: `ts ${T0 + 1e6} is 1.00e+6 s ahead of this machine's clock`,
    });
    expect(guard.admit(tick(10, T0 + 0.1, { t: T0 - 3600 }), T0 + 0.1)).toEqual({
      ok: false,
      reason: "time",
      detail: `t ${T0 - 3600} is 3.60e+3 s behind this machine's clock`,
    });
    // The refused messages used neither seq 10 nor the tick clock: the next tick is simply next.
    expect(guard.admit(tick(10, T0 + 0.1), T0 + 0.1)).toEqual({ ok: true, sequence: { kind: "next" } });
    expect(guard.lost).toBe(0);
  });

  it("refuses a tick whose time goes back, and a sequence number that steps back (not a gap of thousands)", () => {
    const guard = warmedUp();
    expect(guard.admit(tick(10, T0 + 0.03, { ts: T0 - 5 }), T0 + 0.03)).toEqual({
      ok: false,
      reason: "tick_back",
      detail: `tick ts ${T0 - 5} is not after the previous ${T0 - 0.01}`,
    });
    expect(guard.admit(tick(3, T0 + 0.04), T0 + 0.04)).toEqual({
      ok: false,
      reason: "seq_back",
      detail: "seq 3, expected 10 or more",
    });
    // A real gap is still a gap.
    expect(guard.admit(tick(12, T0 + 0.1), T0 + 0.1)).toEqual({
      ok: true,
      sequence: { kind: "gap", lost: 2 },
    });
    expect(guard.lost).toBe(2);
  });

  it("refuses a sequence jump or a drop counter larger than a recorder could count in the time", () => {
    const guard = warmedUp();
    expect(guard.admit(tick(1_000_000, T0 + 0.1), T0 + 0.1)).toEqual({
      ok: false,
      reason: "seq_jump",
      detail: "seq 1000000 jumps 999990 ahead",
    });
    expect(guard.admit(tick(10, T0 + 0.1, { dropped: 2 ** 52 }), T0 + 0.1)).toEqual({
      ok: false,
      reason: "counter",
      detail: `dropped ${2 ** 52} after 0`,
    });
    expect(guard.admit(tick(10, T0 + 0.1, { dropped: 3 }), T0 + 0.1)).toEqual({
      ok: true,
      sequence: { kind: "next" },
    });
    expect(guard.admit(tick(11, T0 + 0.13, { dropped: 1 }), T0 + 0.13)).toEqual({
      ok: false,
      reason: "counter",
      detail: "dropped 1 after 3",
    });
    expect(guard.lost).toBe(0);
  });

  it("refuses a second sender while the first is live; takes it as a restart once the first is silent", () => {
    const guard = warmedUp();
    for (let i = 0; i < 5; i++)
      expect(guard.admit(tick(i, T0 + 0.5, { sender: "b2" }), T0 + 0.5)).toEqual({
        ok: false,
        reason: "second_sender",
        detail: "sender b2 while a1 is live (last heard 0.500 s ago)",
      });
    expect(guard.admit(tick(0, T0 + 1.5, { sender: "b2" }), T0 + 1.5)).toEqual({
      ok: true,
      sequence: { kind: "restarted", previous: "a1" },
    });
    // The old sender is now the second one.
    expect(guard.admit(tick(10, T0 + 1.6), T0 + 1.6)).toMatchObject({ ok: false, reason: "second_sender" });
    expect(guard.lost).toBe(0);
  });
});

describe("SequenceTracker under bad numbers", () => {
  it("a step back and an implausible jump leave the count and the expected number as they were", () => {
    const s = new SequenceTracker();
    s.push("a", 100);
    expect(s.push("a", 7)).toEqual({ kind: "behind", expected: 101 });
    expect(s.push("a", 100)).toEqual({ kind: "behind", expected: 101 });
    expect(s.push("a", 5000, 1000)).toEqual({ kind: "implausible", jump: 4899 });
    expect(s.push("a", 101)).toEqual({ kind: "next" });
    expect(s.lost).toBe(0);
  });
});
