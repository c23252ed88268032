import { Subject } from "rxjs";
import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../config/index.js";
import type { AlarmEvent } from "../../detectors/alarm.js";
import { ComponentGuard, type ContainedFault } from "../../detectors/live/ComponentGuard.js";
import { OtAlarmTracker, type OtAlarmTrackerOptions } from "../../detectors/live/OtAlarmTracker.js";
import { liveAlarms, type OtTracker } from "../../detectors/operators/liveAlarms.js";
import type { LiveInput, PoseSample } from "../../detectors/samples.js";

const pose = (body: string, i: number, valid = true): LiveInput => ({
  type: "pose",
  sample: {
    body,
    t: 100 + i / 120,
    rx: 100 + i / 120,
    position: [i / 1000, 0, 0],
    quaternion: [0, 0, 0, 1],
    valid,
  } satisfies PoseSample,
});

describe("ComponentGuard", () => {
  it("passes events through, and on a throw resets the part, clears what it had raised and raises internal_error", () => {
    const faults: ContainedFault[] = [];
    const guard = new ComponentGuard({ clearAfterS: 1, onFault: (f) => faults.push(f) });
    const raised: AlarmEvent = {
      type: "alarm",
      id: "ot_loss:b:1",
      kind: "ot_loss",
      state: "raised",
      severity: "critical",
      subject: "b",
      t: 1,
      detail: {},
    };
    expect(
      guard.run(
        "b",
        "Tracker",
        1,
        () => [raised],
        () => undefined,
      ),
    ).toEqual([raised]);
    let resets = 0;
    const out = guard.run(
      "b",
      "Tracker",
      2,
      () => {
        throw new RangeError("index 7 out of range");
      },
      () => resets++,
    );
    expect(resets).toBe(1);
    expect(out).toEqual([
      { ...raised, state: "cleared", t: 2, detail: { reason: "reset after internal_error" } },
      {
        type: "alarm",
        id: "internal_error:b:1",
        kind: "internal_error",
        state: "raised",
        severity: "critical",
        subject: "b",
        t: 2,
        detail: { component: "Tracker", error: "RangeError: index 7 out of range", count: 1 },
      },
    ]);
    expect(faults).toEqual([expect.objectContaining({ subject: "b", component: "Tracker", t: 2, count: 1 })]);
    // The reset part counts its alarms from 1 again: the ids sent go on from the last one.
    expect(
      guard.run(
        "b",
        "Tracker",
        2.5,
        () => [{ ...raised, t: 2.5 }],
        () => undefined,
      ),
    ).toEqual([{ ...raised, id: "ot_loss:b:2", t: 2.5 }]);
    // Working for clearAfterS (since its first clean run at 2.5) clears internal_error.
    expect(
      guard.run(
        "b",
        "Tracker",
        3.4,
        () => [],
        () => undefined,
      ),
    ).toEqual([]);
    expect(
      guard.run(
        "b",
        "Tracker",
        3.5,
        () => [],
        () => undefined,
      ),
    ).toEqual([expect.objectContaining({ id: "internal_error:b:1", state: "cleared", t: 3.5 })]);
  });
});

describe("liveAlarms with a failing detector (the test seam)", () => {
  it("a body's tracker that throws once: internal_error for that body, its tracker made anew; the other body's alarms unaffected", () => {
    const made: string[] = [];
    let thrown = false;
    const otTracker = (options: OtAlarmTrackerOptions): OtTracker => {
      made.push(options.body);
      const real = new OtAlarmTracker(options);
      if (options.body !== "sensor_left" || thrown) return real;
      return {
        onScene: (t) => real.onScene(t),
        get repeating() {
          return real.repeating;
        },
        set needed(needed: boolean) {
          real.needed = needed;
        },
        onSample: (sample) => {
          if (sample.t >= 100 + 10 / 120) {
            thrown = true;
            throw new Error("boom");
          }
          return real.onSample(sample);
        },
        onClock: (now) => real.onClock(now),
        onTakeStart: (t) => real.onTakeStart(t),
      };
    };
    const inputs = new Subject<LiveInput>();
    const events: AlarmEvent[] = [];
    const faults: ContainedFault[] = [];
    inputs
      .pipe(liveAlarms(defaultConfig(), 30, { fault: (f) => faults.push(f) }, { otTracker }))
      .subscribe((e) => events.push(e));
    for (let i = 0; i < 20; i++) {
      inputs.next(pose("sensor_left", i));
      inputs.next(pose("sensor_right", i, i < 15)); // sensor_right loses tracking at sample 15
    }
    expect(made).toEqual(["sensor_left", "sensor_right", "sensor_left"]);
    expect(faults.map((f) => `${f.subject} ${f.component} ${f.count}`)).toEqual([
      "sensor_left OtAlarmTracker 1",
    ]);
    expect(events.map((e) => `${e.id} ${e.state} ${e.t.toFixed(4)}`)).toEqual([
      `internal_error:sensor_left:1 raised ${(100 + 10 / 120).toFixed(4)}`,
      `ot_loss:sensor_right:1 raised ${(100 + 15 / 120).toFixed(4)}`,
    ]);
    expect(events[0]?.detail).toEqual({ component: "OtAlarmTracker", error: "Error: boom", count: 1 });
  });
});

describe("liveAlarms: a tracker's judgement of a camera tick runs once, inside its guard", () => {
  it("a throw in onScene is an internal_error for that body; the pipeline and the other body go on", () => {
    const sceneCalls = new Map<string, number>();
    let thrown = false;
    const otTracker = (options: OtAlarmTrackerOptions): OtTracker => {
      const real = new OtAlarmTracker(options);
      return {
        onScene: (t) => {
          sceneCalls.set(options.body, (sceneCalls.get(options.body) ?? 0) + 1);
          if (options.body === "sensor_left" && t >= 100 + 2 / 30 && !thrown) {
            thrown = true;
            throw new TypeError("scene broke");
          }
          return real.onScene(t);
        },
        get repeating() {
          return real.repeating;
        },
        set needed(needed: boolean) {
          real.needed = needed;
        },
        onSample: (sample) => real.onSample(sample),
        onClock: (now) => real.onClock(now),
        onTakeStart: (t) => real.onTakeStart(t),
      };
    };
    const inputs = new Subject<LiveInput>();
    const events: AlarmEvent[] = [];
    const faults: ContainedFault[] = [];
    let error: unknown;
    inputs.pipe(liveAlarms(defaultConfig(), 30, { fault: (f) => faults.push(f) }, { otTracker })).subscribe({
      next: (e) => events.push(e),
      error: (e: unknown) => (error = e),
    });
    inputs.next(pose("sensor_left", 0));
    inputs.next(pose("sensor_right", 0));
    for (let k = 0; k < 4; k++)
      inputs.next({ type: "tick", tick: { frame: k, t: 100 + k / 30, streams: {} } });
    inputs.next(pose("sensor_right", 3 * 4 + 1, false));
    expect(error).toBeUndefined();
    // One call per body per tick: the left body's tracker is made anew after its throw at tick 2.
    expect(Object.fromEntries(sceneCalls)).toEqual({ sensor_left: 4, sensor_right: 4 });
    expect(faults.map((f) => `${f.subject} ${f.component} ${f.count}`)).toEqual([
      "sensor_left OtAlarmTracker 1",
    ]);
    expect(events.map((e) => `${e.id} ${e.state}`)).toEqual([
      "internal_error:sensor_left:1 raised",
      "ot_loss:sensor_right:1 raised",
    ]);
  });
});
