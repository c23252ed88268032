import { Observable, type OperatorFunction } from "rxjs";
import type { Config } from "../../config/index.js";
import type { AlarmEvent } from "../alarm.js";
import { contactMetrics } from "../image/index.js";
import { AlarmLatch } from "../live/AlarmLatch.js";
import { ComponentGuard, type ContainedFault } from "../live/ComponentGuard.js";
import { OtAlarmTracker, type OtAlarmTrackerOptions } from "../live/OtAlarmTracker.js";
import { SceneHistory } from "../live/SceneHistory.js";
import { SpikeAlarmTracker } from "../live/SpikeAlarmTracker.js";
import { StallAlarmTracker } from "../live/StallAlarmTracker.js";
import { StreamStaleTracker } from "../live/StreamStaleTracker.js";
import { TakeGuard } from "../live/TakeGuard.js";
import {
  CAMERA_STREAMS,
  type LiveInput,
  type PoseSample,
  SENSOR_BODY,
  type Side,
  TACTILE_SIDES,
  type TickSample,
} from "../samples.js";

/** Measurements the detectors make anyway, for the operator page's plots; and the faults they contained. */
export interface LiveObservers {
  /** A GelSight's contact intensity against the take's reference, per tick. */
  readonly intensity?: (side: Side, t: number, intensity: number) => void;
  /** A detector threw: it was reset and an `internal_error` alarm raised (see ComponentGuard). */
  readonly fault?: (fault: ContainedFault) => void;
}

/** What the operator needs of a body's OT tracker. */
export type OtTracker = Pick<
  OtAlarmTracker,
  "onSample" | "onClock" | "onScene" | "onTakeStart" | "repeating" | "needed"
>;

/** The seam through which tests put a failing detector on the live path; the daemon passes none. */
export interface LiveDetectorSeams {
  readonly otTracker?: (options: OtAlarmTrackerOptions) => OtTracker;
}

/**
 * The live detectors as one operator: samples, ticks and take events in, alarms out. The same
 * operator runs on NatNet + the recorder tap and on an H5 replay; all time is source time (the
 * live daemon puts NatNet's clock onto the camera clock before it gets here).
 */
export function liveAlarms(
  config: Pick<Config, "detect" | "live">,
  fps: number,
  observe: LiveObservers = {},
  seams: LiveDetectorSeams = {},
): OperatorFunction<LiveInput, AlarmEvent> {
  const { detect, live } = config;
  const newOtTracker = seams.otTracker ?? ((options: OtAlarmTrackerOptions) => new OtAlarmTracker(options));
  return (source) =>
    new Observable<AlarmEvent>((subscriber) => {
      // Each body, stream and the take guard in its own guard: one that throws is reset and alarmed,
      // the others go on being watched.
      const guards = new ComponentGuard({
        clearAfterS: live.internalErrorClearS,
        ...(observe.fault ? { onFault: observe.fault } : {}),
      });
      const otConfig = {
        ...detect,
        clearAfterS: live.clearAfterS,
        heldCriticalS: live.heldCriticalS,
        classifier: {
          ...detect.classifier,
          otGapS: detect.otGapS,
          velocityMps: detect.teleport.velocityMps,
          angularRadS: detect.teleport.angularRadS,
        },
      };
      // The cameras' and GelSights' recent past: the evidence a held pose is judged on.
      const scene = new SceneHistory({ keepS: detect.classifier.windowS + live.heldCriticalS + 1 });
      /** The bodies the current take declared it needs; undefined = every body counts. */
      let declared: readonly string[] | undefined;
      /** A take is running (between its start and end): a body first seen now starts in its prefix. */
      let inTake = false;
      const newTracker = (body: string, startT: number) => {
        const side = TACTILE_SIDES.find((s) => SENSOR_BODY[s] === body);
        const tracker = newOtTracker({
          body,
          config: otConfig,
          startT,
          scene,
          inTake,
          ...(side ? { side } : {}),
        });
        tracker.needed = declared === undefined || declared.includes(body);
        return tracker;
      };
      const spikeConfig = { ...detect.spike, confirmFrames: live.spikeConfirmFrames };
      const ot = new Map<string, OtTracker>();
      const spikes = new Map(
        TACTILE_SIDES.map((side) => [side, new SpikeAlarmTracker(`gel_${side}`, spikeConfig)]),
      );
      const references = new Map<string, Uint8Array>();
      const newStall = () =>
        new StallAlarmTracker(CAMERA_STREAMS.length, {
          dupFraction: detect.stall.dupFraction,
          windowFrames: Math.round(detect.stall.windowS * fps),
        });
      let stall = newStall();
      const lastHash = new Map<string, string>();
      const stale = new Map<string, StreamStaleTracker>();
      const sources = new Map<string, AlarmLatch>();
      let guard = new TakeGuard(live);
      const emit = (events: readonly AlarmEvent[]) => {
        for (const e of events) subscriber.next(e);
      };
      const tracker = (body: string, t: number) => {
        let found = ot.get(body);
        if (!found) {
          found = newTracker(body, t);
          ot.set(body, found);
        }
        return found;
      };
      const onBody = (body: string, t: number, work: (tr: OtTracker) => readonly AlarmEvent[]) =>
        emit(
          guards.run(
            body,
            "OtAlarmTracker",
            t,
            () => work(tracker(body, t)),
            () => ot.set(body, newTracker(body, t)),
          ),
        );
      const onTake = (t: number, work: (g: TakeGuard) => readonly AlarmEvent[]) =>
        emit(
          guards.run(
            "take",
            "TakeGuard",
            t,
            () => work(guard),
            () => (guard = new TakeGuard(live)),
          ),
        );
      const clock = (t: number) => {
        // A reset replaces a tracker under its own key: iterating the live map is safe.
        for (const body of ot.keys()) onBody(body, t, (tr) => tr.onClock(t));
        onTake(t, (g) => g.onClock(t));
      };
      const onTick = (tick: TickSample) => {
        clock(tick.t);
        // Thumbnail motion only matters to a hold: measured while some body's pose repeats.
        emit(
          guards.run(
            "scene",
            "SceneHistory",
            tick.t,
            () => {
              scene.push(tick, { motion: [...ot.values()].some((tr) => tr.repeating) });
              return [];
            },
            () => scene.clear(),
          ),
        );
        for (const body of [...ot.keys()]) onBody(body, tick.t, (tr) => tr.onScene(tick.t));
        const repeats = CAMERA_STREAMS.map((cam) => {
          const hash = tick.streams[cam]?.hash;
          const same = hash !== undefined && lastHash.get(cam) === hash;
          if (hash !== undefined) lastHash.set(cam, hash);
          return same;
        });
        emit(
          guards.run(
            "cameras",
            "StallAlarmTracker",
            tick.t,
            () => stall.push(tick.frame, tick.t, repeats),
            () => (stall = newStall()),
          ),
        );
        for (const name of Object.keys(tick.streams)) {
          if (stale.has(name)) continue;
          const gel = name.startsWith("gel_");
          stale.set(
            name,
            new StreamStaleTracker(name, {
              staleS: gel ? live.gelStaleS : live.cameraStaleS,
              clearAfterS: live.staleClearS,
              by: gel ? "presence" : "content",
            }),
          );
        }
        for (const [name, s] of stale) {
          const hash = tick.streams[name as keyof TickSample["streams"]]?.hash;
          // A pipeline stall freezes every camera at once: one alarm says it, not four.
          emit(
            guards.run(
              name,
              "StreamStaleTracker",
              tick.t,
              () => s.push(tick.t, tick.frame, hash, stall.raised && !name.startsWith("gel_")),
              () => stale.delete(name),
            ),
          );
        }
        for (const side of TACTILE_SIDES) {
          const thumb = tick.streams[`gel_${side}`]?.thumb;
          if (!thumb) continue;
          emit(
            guards.run(
              `gel_${side}`,
              "SpikeAlarmTracker",
              tick.t,
              () => {
                const reference = references.get(side) ?? thumb;
                references.set(side, reference);
                const { intensity } = contactMetrics(thumb, reference, detect.contact.tau);
                observe.intensity?.(side, tick.t, intensity);
                return (spikes.get(side) as SpikeAlarmTracker).push(tick.frame, tick.t, intensity);
              },
              () => {
                (spikes.get(side) as SpikeAlarmTracker).reset();
                references.delete(side);
              },
            ),
          );
        }
      };

      return source.subscribe({
        next(input) {
          switch (input.type) {
            case "episode_start": {
              // Named bodies are expected from the start (silence counts from it); others join when seen.
              const bodies =
                input.activeBodies ?? (live.bodies.length > 0 ? live.bodies : [...guard.seen].sort());
              // OT runs across takes: a body's tracker (and any alarm it has raised) carries on, so an
              // alarm raised before the take still clears and ids never repeat. Bodies the take names
              // and OT has not sent yet are expected from its start (silence counts from it).
              declared = input.activeBodies;
              inTake = true;
              for (const [body, tr] of ot) {
                tr.needed = declared === undefined || declared.includes(body);
                onBody(body, input.t, (each) => each.onTakeStart(input.t));
              }
              for (const body of live.bodies.length > 0 ? live.bodies : (input.activeBodies ?? []))
                if (!ot.has(body)) ot.set(body, newTracker(body, input.t));
              for (const s of spikes.values()) s.reset();
              references.clear();
              stall.reset();
              lastHash.clear();
              for (const [name, s] of stale)
                emit(
                  guards.run(
                    name,
                    "StreamStaleTracker",
                    input.t,
                    () => s.reset(input.t),
                    () => stale.delete(name),
                  ),
                );
              onTake(input.t, (g) => g.onStart(input.t, input.episode ?? null, bodies, input.gate ?? false));
              return;
            }
            case "ref_reset":
              for (const s of spikes.values()) s.reset();
              references.clear();
              return;
            case "pose": {
              const sample: PoseSample = input.sample;
              onTake(sample.t, (g) => g.onSample(sample));
              if (live.bodies.length === 0 || live.bodies.includes(sample.body))
                onBody(sample.body, sample.t, (tr) => tr.onSample(sample));
              return;
            }
            case "clock":
              clock(input.t);
              return;
            case "tick":
              onTick(input.tick);
              return;
            case "source": {
              let latch = sources.get(input.source);
              if (!latch) {
                latch = new AlarmLatch("stream_stale", input.source, "critical", 0);
                sources.set(input.source, latch);
              }
              const event =
                input.state === "lost"
                  ? latch.bad(input.t, { reason: "source lost" })
                  : latch.clear(input.t, { reason: "source found" });
              if (event) subscriber.next(event);
              return;
            }
            case "episode_end":
              inTake = false;
              onTake(input.t, (g) => g.onEnd(input.t));
              return;
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });
}
