import { Observable, type OperatorFunction } from "rxjs";
import type { Config } from "../../config/index.js";
import type { AlarmEvent } from "../alarm.js";
import { contactMetrics } from "../image/index.js";
import { OtAlarmTracker } from "../live/OtAlarmTracker.js";
import { SpikeAlarmTracker } from "../live/SpikeAlarmTracker.js";
import { StallAlarmTracker } from "../live/StallAlarmTracker.js";
import { CAMERA_STREAMS, type LiveInput, TACTILE_SIDES } from "../samples.js";

/**
 * The live detectors as one operator: samples, ticks and take events in, alarms out. The same
 * operator runs on NatNet + the recorder tap and on an H5 replay; all time is source time.
 */
export function liveAlarms(
  config: Pick<Config, "detect" | "live">,
  fps: number,
): OperatorFunction<LiveInput, AlarmEvent> {
  const { detect, live } = config;
  return (source) =>
    new Observable<AlarmEvent>((subscriber) => {
      const otConfig = { ...detect, clearAfterS: live.clearAfterS };
      const spikeConfig = { ...detect.spike, confirmFrames: live.spikeConfirmFrames };
      let ot = new Map<string, OtAlarmTracker>();
      const spikes = new Map(
        TACTILE_SIDES.map((side) => [side, new SpikeAlarmTracker(`gel_${side}`, spikeConfig)]),
      );
      const references = new Map<string, Uint8Array>();
      const stall = new StallAlarmTracker(CAMERA_STREAMS.length, {
        dupFraction: detect.stall.dupFraction,
        windowFrames: Math.round(detect.stall.windowS * fps),
      });
      const lastHash = new Map<string, string>();
      const emit = (events: readonly AlarmEvent[]) => {
        for (const e of events) subscriber.next(e);
      };
      const tracker = (body: string, t: number) => {
        let found = ot.get(body);
        if (!found) {
          found = new OtAlarmTracker(body, otConfig, t);
          ot.set(body, found);
        }
        return found;
      };

      return source.subscribe({
        next(input) {
          switch (input.type) {
            case "episode_start":
              // Named bodies are expected from the start (silence counts from it); others join when seen.
              ot = new Map(live.bodies.map((body) => [body, new OtAlarmTracker(body, otConfig, input.t)]));
              for (const s of spikes.values()) s.reset();
              references.clear();
              stall.reset();
              lastHash.clear();
              return;
            case "ref_reset":
              for (const s of spikes.values()) s.reset();
              references.clear();
              return;
            case "pose":
              if (live.bodies.length === 0 || live.bodies.includes(input.sample.body))
                emit(tracker(input.sample.body, input.sample.t).onSample(input.sample));
              return;
            case "clock":
              for (const t of ot.values()) emit(t.onClock(input.t));
              return;
            case "tick": {
              const { tick } = input;
              for (const t of ot.values()) emit(t.onClock(tick.t));
              const repeats = CAMERA_STREAMS.map((cam) => {
                const hash = tick.streams[cam]?.hash;
                const same = hash !== undefined && lastHash.get(cam) === hash;
                if (hash !== undefined) lastHash.set(cam, hash);
                return same;
              });
              emit(stall.push(tick.frame, tick.t, repeats));
              for (const side of TACTILE_SIDES) {
                const thumb = tick.streams[`gel_${side}`]?.thumb;
                if (!thumb) continue;
                const reference = references.get(side) ?? thumb;
                references.set(side, reference);
                const { intensity } = contactMetrics(thumb, reference, detect.contact.tau);
                emit((spikes.get(side) as SpikeAlarmTracker).push(tick.frame, tick.t, intensity));
              }
              return;
            }
            case "episode_end":
              return;
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });
}
