import { asyncScheduler, interval, Observable, type OperatorFunction, type SchedulerLike } from "rxjs";
import type { LiveInput } from "../samples.js";

/**
 * Adds `clock` inputs every `periodMs` so silence is noticed when nothing arrives. Detectors run in
 * source time (Motive's clock), so a tick carries the source time the latest sample would have now:
 * its source time plus the receive-clock time elapsed since it arrived. No tick before the first sample.
 */
export function withSourceClock(
  periodMs: number,
  receiveNow: () => number,
  scheduler: SchedulerLike = asyncScheduler,
): OperatorFunction<LiveInput, LiveInput> {
  return (source) =>
    new Observable<LiveInput>((subscriber) => {
      let anchor: { t: number; rx: number } | undefined;
      const clock = interval(periodMs, scheduler).subscribe(() => {
        if (anchor) subscriber.next({ type: "clock", t: anchor.t + (receiveNow() - anchor.rx) });
      });
      const inputs = source.subscribe({
        next(input) {
          if (input.type === "pose") anchor = { t: input.sample.t, rx: input.sample.rx };
          subscriber.next(input);
        },
        error: (e: unknown) => subscriber.error(e),
        complete: () => subscriber.complete(),
      });
      return () => {
        inputs.unsubscribe();
        clock.unsubscribe();
      };
    });
}
