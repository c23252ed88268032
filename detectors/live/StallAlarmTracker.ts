import type { AlarmEvent } from "../alarm.js";
import { type StallConfig, StallWindow } from "../stall.js";
import { AlarmLatch } from "./AlarmLatch.js";

/** Live pipeline stall: raised while every camera repeats enough of the last window's frames. */
export class StallAlarmTracker {
  private readonly window: StallWindow;
  private readonly latch = new AlarmLatch("pipeline_stall", "realsense", "critical", 0);

  constructor(cameras: number, config: StallConfig) {
    this.window = new StallWindow(cameras, config);
  }

  get raised(): boolean {
    return this.latch.raised;
  }

  push(frame: number, t: number, repeats: readonly boolean[]): AlarmEvent[] {
    const stalled = this.window.push(repeats);
    const event = stalled
      ? this.latch.bad(t, { repeats: repeats.map((r) => (r ? 1 : 0)) }, frame)
      : this.latch.good(t, frame);
    return event ? [event] : [];
  }

  reset(): void {
    this.window.reset();
  }
}
