/**
 * Puts Motive's frame timestamps (seconds since Motive started) onto this machine's wall clock, the
 * clock the recorder stamps camera ticks with, so OT and camera evidence share one timeline.
 *
 * offset ≈ the smallest (receive − Motive) time seen: the least-delayed frame's latency is the best
 * estimate of the clocks' difference. The offset may only slew slowly (`slew` seconds per second of
 * Motive time), so intervals between samples keep Motive's precision — a burst of late frames cannot
 * squeeze their spacing into a fake teleport — and it is re-anchored when the difference jumps by
 * more than `reanchorS` (Motive restarted and its clock began again).
 */
export class MotiveClock {
  private offset: number | undefined;
  private lastMotiveT = 0;

  constructor(
    private readonly reanchorS = 1,
    private readonly slew = 0.001,
  ) {}

  toWall(motiveT: number, receivedWallT: number): number {
    const d = receivedWallT - motiveT;
    if (this.offset === undefined || Math.abs(d - this.offset) > this.reanchorS) {
      this.offset = d;
    } else {
      const maxStep = this.slew * Math.max(0, motiveT - this.lastMotiveT);
      // Down to a less-delayed frame at once within the slew; up (drift) only a little at a time.
      const wanted = d < this.offset ? d - this.offset : (d - this.offset) * 0.01;
      this.offset += Math.max(-maxStep, Math.min(maxStep, wanted));
    }
    this.lastMotiveT = motiveT;
    return motiveT + this.offset;
  }
}
