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
      const tick = () => {
        if (anchor) subscriber.next({ type: "clock", t: anchor.t + (receiveNow() - anchor.rx) });
      };
      // After a stall of this process's own event loop, timers run before the datagrams that waited
      // in the socket: on the real clock, let pending I/O in first (setImmediate runs after the poll
      // phase), so our own pause is not mistaken for the source's silence.
      const deferred = scheduler === asyncScheduler;
      let pending: NodeJS.Immediate | undefined;
      const clock = interval(periodMs, scheduler).subscribe(() => {
        if (!deferred) return tick();
        pending ??= setImmediate(() => {
          pending = undefined;
          tick();
        });
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
        if (pending) clearImmediate(pending);
      };
    });
}
