import type { AlarmEvent } from "../alarm.js";
import { type OnlineSpikeConfig, OnlineSpikeDetector } from "../OnlineSpikeDetector.js";
import { AlarmLatch } from "./AlarmLatch.js";

/**
 * Live LED-flicker alarm of one GelSight: `intensity_spike` for each confirmed spike frame, cleared on
 * the first frame after them that is not one. Intensities come in per tick (distance to the take's reference).
 */
export class SpikeAlarmTracker {
  private readonly detector: OnlineSpikeDetector;
  private readonly latch: AlarmLatch;
  private readonly frames: { frame: number; t: number }[] = [];

  constructor(
    readonly subject: string,
    private readonly config: OnlineSpikeConfig,
  ) {
    this.detector = new OnlineSpikeDetector(config);
    this.latch = new AlarmLatch("intensity_spike", subject, "warning", 0);
  }

  /** A new reference frame (take start or `ref_reset`): the baseline starts over. */
  reset(): void {
    this.detector.reset();
    this.frames.length = 0;
  }

  push(frame: number, t: number, intensity: number): AlarmEvent[] {
    this.frames.push({ frame, t });
    const decision = this.detector.push(intensity);
    if (this.frames.length <= this.config.confirmFrames) return [];
    const decided = this.frames.shift() as { frame: number; t: number };
    const event = decision
      ? this.latch.bad(
          decided.t,
          { intensity: decision.intensity, threshold: decision.threshold },
          decided.frame,
        )
      : this.latch.good(decided.t, decided.frame);
    return event ? [event] : [];
  }
}
