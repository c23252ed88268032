import { from, lastValueFrom, toArray } from "rxjs";
import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../config/index.js";
import { SteadyStream } from "../../detectors/live/SteadyStream.js";
import { liveAlarms } from "../../detectors/operators/liveAlarms.js";
import type { LiveInput } from "../../detectors/samples.js";

const BODY = "sensor_right";

function pose(t: number, valid = true): LiveInput {
  return {
    type: "pose",
    sample: { body: BODY, t, rx: t, position: [t / 10, 0, 0], quaternion: [0, 0, 0, 1], valid },
  };
}

/** Valid samples at 100 Hz over [from, to), the source clock ticking every 10 ms between them. */
function streaming(fromS: number, toS: number): LiveInput[] {
  const out: LiveInput[] = [];
  for (let i = Math.round(fromS * 100); i < Math.round(toS * 100); i++)
    out.push(pose(i / 100), { type: "clock", t: i / 100 + 0.005 });
  return out;
}

/** Only the source clock, every 10 ms over [from, to): OT is silent. */
function silent(fromS: number, toS: number): LiveInput[] {
  const out: LiveInput[] = [];
  for (let i = Math.round(fromS * 100); i < Math.round(toS * 100); i++)
    out.push({ type: "clock", t: i / 100 });
  return out;
}

const start = (t: number): LiveInput => ({ type: "episode_start", t, episode: 7, activeBodies: [BODY] });

async function otAlarms(inputs: LiveInput[]) {
  const events = await lastValueFrom(from(inputs).pipe(liveAlarms(defaultConfig(), 30), toArray()));
  return events
    .filter((e) => e.kind === "ot_loss")
    .map((e) => ({
      state: e.state,
      severity: e.severity,
      t: Math.round(e.t * 1000) / 1000,
      uninitialised: e.detail.uninitialised === true,
    }));
}

describe("live OT before the stream is steady (spec §2's uninitialised prefix)", () => {
  it("a take whose body trickles before it streams: a quiet warning through the prefix, critical once steady", async () => {
    const trickle = [0.5, 1.2, 1.9].flatMap((t) => [pose(t), ...silent(t + 0.001, t + 0.7)]);
    const inputs = [
      start(0),
      ...silent(0, 0.5),
      ...trickle,
      ...streaming(2.6, 4.0), // steady from 2.6: initialised at 3.6
      pose(4.0, false), // tracking lost after the prefix: the real thing
    ];
    expect(await otAlarms(inputs)).toEqual([
      // Silence from the take's start (0.1 s): a warning that says the stream is not initialised.
      { state: "raised", severity: "warning", t: 0.1, uninitialised: true },
      // The steady stream clears it after the hysteresis (the first sample 0.2 s after 2.6; 2.8 − 2.6 falls short in floating point).
      { state: "cleared", severity: "warning", t: 2.81, uninitialised: false },
      { state: "raised", severity: "critical", t: 4.0, uninitialised: false },
    ]);
  });

  it("a body streaming steadily across a take's start stays critical; one silent at the next start is a prefix again", async () => {
    const inputs = [
      ...streaming(0, 1.5),
      start(1.5),
      ...streaming(1.5, 2.0),
      pose(2.0, false), // lost in the take: critical
      ...streaming(2.1, 3.0), // back; cleared after 0.2 s (at 2.31)
      // The take ends; Motive stops (critical: a body that was tracked is lost), then the next take
      // starts while it is still silent: that take's loss is its prefix.
      ...silent(3.0, 4.0),
      start(4.0),
      ...silent(4.0, 4.5),
      ...streaming(4.5, 5.0),
      pose(5.0, false),
    ];
    expect(await otAlarms(inputs)).toEqual([
      { state: "raised", severity: "critical", t: 2.0, uninitialised: false },
      { state: "cleared", severity: "critical", t: 2.31, uninitialised: false },
      { state: "raised", severity: "critical", t: 3.1, uninitialised: false },
      { state: "cleared", severity: "critical", t: 4.7, uninitialised: false },
      // Invalid within the prefix (streaming for 0.5 s only): a warning.
      { state: "raised", severity: "warning", t: 5.0, uninitialised: true },
    ]);
  });
});

describe("SteadyStream", () => {
  it("is reached after steadyS with no gap over maxGapS, and restarts at a take that finds it silent", () => {
    const s = new SteadyStream({ maxGapS: 0.5, steadyS: 1 }, false);
    for (const t of [0, 0.4, 0.8]) s.push(t);
    expect(s.reached).toBe(false);
    s.push(1.4); // a gap of 0.6: the run starts again at 1.4
    s.push(1.9);
    expect(s.reached).toBe(false);
    s.push(2.4);
    expect(s.reached).toBe(true);
    s.restartUnlessSteadyAt(2.8); // still streaming (last sample 0.4 s ago)
    expect(s.reached).toBe(true);
    s.restartUnlessSteadyAt(3.0); // 0.6 s since the last sample
    expect(s.reached).toBe(false);
  });
});

describe("live OT outside takes", () => {
  it("with no take (NatNet alone), there is no prefix: a loss in the first second is critical", async () => {
    expect(await otAlarms([...streaming(0, 0.3), pose(0.3, false)])).toEqual([
      { state: "raised", severity: "critical", t: 0.3, uninitialised: false },
    ]);
  });
});
