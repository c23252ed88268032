import type { Interval } from "./intervals.js";
import { mergeIntervals } from "./intervals.js";

export interface StallConfig {
  /** Share of consecutive frame pairs that must repeat bitwise in every camera. */
  readonly dupFraction: number;
  readonly windowFrames: number;
}

/**
 * Sliding window over per-camera "frame repeats the previous one" flags (spec §3 pipeline stall).
 * `push` answers whether the window ending at this frame has every camera repeating at least
 * `dupFraction` of its frames. Shared by the live tap and the offline pass.
 */
export class StallWindow {
  private readonly history: boolean[][] = [];
  private readonly counts: number[];

  constructor(
    private readonly cameras: number,
    private readonly config: StallConfig,
  ) {
    this.counts = new Array(cameras).fill(0);
  }

  push(repeats: readonly boolean[]): boolean {
    this.history.push([...repeats]);
    for (let c = 0; c < this.cameras; c++) if (repeats[c]) this.counts[c] = (this.counts[c] as number) + 1;
    if (this.history.length > this.config.windowFrames) {
      const old = this.history.shift() as boolean[];
      for (let c = 0; c < this.cameras; c++) if (old[c]) this.counts[c] = (this.counts[c] as number) - 1;
    }
    if (this.history.length < this.config.windowFrames) return false;
    const needed = this.config.dupFraction * this.config.windowFrames;
    return this.counts.every((n) => n >= needed);
  }

  reset(): void {
    this.history.length = 0;
    this.counts.fill(0);
  }
}

/**
 * Offline stall extents: within every qualifying window, from the first to the last frame at which
 * some camera repeated; overlapping extents merge. `repeats[c][k]` = camera c's frame k equals k-1.
 */
export function stallIntervals(repeats: readonly Uint8Array[], config: StallConfig): Interval[] {
  const n = repeats[0]?.length ?? 0;
  const window = new StallWindow(repeats.length, config);
  const anyRepeat = (k: number) => repeats.some((r) => r[k] === 1);
  const found: Interval[] = [];
  for (let k = 0; k < n; k++) {
    if (!window.push(repeats.map((r) => r[k] === 1))) continue;
    let a = k - config.windowFrames + 1;
    let b = k;
    while (a <= b && !anyRepeat(a)) a++;
    while (b >= a && !anyRepeat(b)) b--;
    if (a <= b) found.push([a, b]);
  }
  return mergeIntervals(found);
}
