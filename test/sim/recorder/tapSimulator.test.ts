import { mergeMap, Subject } from "rxjs";
import { afterEach, describe, expect, it } from "vitest";
import { defaultConfig } from "../../../config/index.js";
import { TapFollower } from "../../../daemon/TapFollower.js";
import type { AlarmEvent } from "../../../detectors/alarm.js";
import { liveAlarms } from "../../../detectors/operators/liveAlarms.js";
import { meanAbsDiff } from "../../../detectors/image/index.js";
import type { LiveInput, TickSample } from "../../../detectors/samples.js";
import { TapSimulator } from "../../../sim/recorder/TapSimulator.js";
import { type TapReceived, TapSubscriber } from "../../../hw/tap/TapSubscriber.js";
import { RecorderLink } from "../../../sinks/RecorderLink.js";
import { waitFor } from "../../helpers/waitFor.js";

describe("the simulated recorder (rigwatch run --sim) through the real tap and the live detectors", () => {
  let sim: TapSimulator | undefined;
  let subscriber: TapSubscriber | undefined;
  let link: RecorderLink | undefined;
  afterEach(async () => {
    await subscriber?.close();
    await sim?.close();
    await link?.close();
  });

  it("injects each camera and GelSight fault, and obeys the watchdog's stop", async () => {
    link = await RecorderLink.bind("tcp://127.0.0.1:*");
    sim = await TapSimulator.start({
      alarmEndpoint: link.endpoint as string,
      // No OptiTrack in this test: a rig without bodies, so the take's OT gate does not depend on
      // whether the subscriber hears a hello (the rig's bodies) before the take's start or after.
      bodies: [],
      takes: [{ at: 0.3, durationS: 30, episode: 2 }],
      faults: [
        { fault: "ledFlicker", at: 2, side: "left" },
        { fault: "cameraFrozen", at: 2.5, durationS: 1, stream: "cam1" },
        { fault: "camerasStalled", at: 4.5, durationS: 1 },
        { fault: "gelUnplugged", at: 6, durationS: 1.5, side: "right" },
        { fault: "sceneStill", at: 8, durationS: 1 },
      ],
    });
    // The detectors run on the ticks' capture times; the receive clock stands still, so a busy
    // machine's pause cannot make the tap look lost and end the take. The guard's time checks, which
    // compare the two clocks, are off here (tapGuard.test.ts has them).
    subscriber = new TapSubscriber({
      endpoint: sim.endpoint,
      silentAfterS: 1.5,
      clock: () => 0,
      guard: { maxAheadS: Infinity, maxBehindS: Infinity, senderTakeoverS: 0 },
    });
    const follower = new TapFollower(900);
    const inputs = new Subject<LiveInput>();
    const alarms: AlarmEvent[] = [];
    const closed: string[] = [];
    inputs.pipe(liveAlarms(defaultConfig(), 30)).subscribe((a) => alarms.push(a));
    const ticks: TickSample[] = [];
    inputs.subscribe((i) => {
      if (i.type === "tick") ticks.push(i.tick);
    });
    subscriber.messages$
      .pipe(
        mergeMap((r: TapReceived) => {
          const step = follower.onReceived(r);
          for (const e of step.events)
            if (e.type === "episode_closed") closed.push(`${e.episode}:${e.framesWritten}`);
          return step.inputs;
        }),
      )
      .subscribe((i) => inputs.next(i));
    subscriber.start();

    const still = () => sim?.injected.find((f) => f.fault === "sceneStill");
    await waitFor(
      () =>
        alarms.some((a) => a.subject === "gel_right" && a.state === "cleared") &&
        ticks.some((t) => t.frame > (still()?.frame ?? Infinity) + 40),
      "the faults",
      30_000,
    );
    const raised = alarms.filter((a) => a.state === "raised").map((a) => [a.kind, a.subject]);
    expect(raised).toEqual([
      ["intensity_spike", "gel_left"],
      ["stream_stale", "cam1"],
      ["pipeline_stall", "realsense"],
      ["stream_stale", "gel_right"],
    ]);
    // The frame the alarm names is the take's frame the simulator flared (its ground truth).
    const flicker = sim.injected.find((f) => f.fault === "ledFlicker");
    expect(alarms.find((a) => a.kind === "intensity_spike")?.frame).toBe(flicker?.frame);
    expect(alarms.find((a) => a.kind === "stream_stale" && a.subject === "gel_right")?.detail).toMatchObject({
      missing: true,
    });

    // The still scene: every camera frame is new (no stale camera above) but hardly differs from the
    // last; the GelSights repeat theirs.
    const from = (still()?.frame as number) + 1;
    const during = ticks.filter((t) => t.frame >= from && t.frame < from + 28);
    expect(during).toHaveLength(28);
    for (const [k, t] of during.entries()) {
      if (k === 0) continue;
      const prev = during[k - 1] as TickSample;
      for (const cam of ["cam0", "cam1", "cam2"] as const) {
        expect(t.streams[cam]?.hash).not.toBe(prev.streams[cam]?.hash);
        const motion = meanAbsDiff(
          t.streams[cam]?.thumb as Uint8Array,
          prev.streams[cam]?.thumb as Uint8Array,
        );
        expect(motion).toBeGreaterThan(0);
        expect(motion).toBeLessThan(0.001);
      }
      expect(t.streams.gel_left?.hash).toBe(prev.streams.gel_left?.hash);
    }

    // The watchdog's stop ends the take at once (a recorder stops and saves it).
    link.stopTake(2, "test");
    await waitFor(() => closed.length === 1, "the take to stop");
    expect(sim.injected.map((f) => f.fault)).toContain("stopObeyed");
    const stopped = sim.injected.find((f) => f.fault === "stopObeyed");
    expect(closed).toEqual([`2:${stopped?.frame}`]);
  }, 30_000);
});
