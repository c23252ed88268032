import { Subject } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import { describe, expect, it } from "vitest";
import { liveAlarms } from "../../detectors/operators/liveAlarms.js";
import { withSourceClock } from "../../detectors/operators/withSourceClock.js";
import type { LiveInput, PoseSample } from "../../detectors/samples.js";
import { defaultConfig } from "../../config/index.js";

const sample = (t: number, rx: number): PoseSample => ({
  body: "sensor_left",
  t,
  rx,
  position: [t, 0, 0],
  quaternion: [0, 0, 0, 1],
  valid: true,
});

describe("withSourceClock", () => {
  it("ticks in source time from the latest sample, and lets silence raise ot_loss live", () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ flush }) => {
      const input = new Subject<LiveInput>();
      const seen: LiveInput[] = [];
      const alarms: string[] = [];
      const rxSeconds = () => scheduler.now() / 1000;
      const clocked = input.pipe(withSourceClock(10, rxSeconds, scheduler));
      clocked.subscribe((i) => seen.push(i));
      clocked
        .pipe(liveAlarms(defaultConfig(), 30))
        .subscribe((a) => alarms.push(`${a.kind}:${a.state}:${a.detail.reason}`));
      // Source clock runs 1000 s ahead of the receive clock; samples every 8 ms until 40 ms, then silence.
      for (let ms = 0; ms <= 40; ms += 8)
        scheduler.schedule(
          () => input.next({ type: "pose", sample: sample(1000 + ms / 1000, ms / 1000) }),
          ms,
        );
      scheduler.schedule(() => input.complete(), 300);
      flush();
      const clocks = seen.filter((i) => i.type === "clock").map((i) => Math.round(i.t * 1000) / 1000);
      expect(clocks.slice(0, 3)).toEqual([1000.01, 1000.02, 1000.03]);
      // Last sample at source 1000.040; silence ≥ 0.1 s is first seen by the tick at receive 0.140 s.
      expect(alarms).toEqual(["ot_loss:raised:silence"]);
    });
  });
});
