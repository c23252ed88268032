import { mergeMap, Subject } from "rxjs";
import { afterEach, describe, expect, it } from "vitest";
import { defaultConfig } from "../../../config/index.js";
import { TapFollower } from "../../../daemon/TapFollower.js";
import type { AlarmEvent } from "../../../detectors/alarm.js";
import { liveAlarms } from "../../../detectors/operators/liveAlarms.js";
import type { LiveInput } from "../../../detectors/samples.js";
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
      takes: [{ at: 0.3, durationS: 30, episode: 2 }],
      faults: [
        { fault: "ledFlicker", at: 2, side: "left" },
        { fault: "cameraFrozen", at: 2.5, durationS: 1, stream: "cam1" },
        { fault: "camerasStalled", at: 4.5, durationS: 1 },
        { fault: "gelUnplugged", at: 6, durationS: 1.5, side: "right" },
      ],
    });
    subscriber = new TapSubscriber({
      endpoint: sim.endpoint,
      silentAfterS: 1.5,
      clock: () => Date.now() / 1000, // the recorder's clock (TapGuard compares the two)
    });
    const follower = new TapFollower(900);
    const inputs = new Subject<LiveInput>();
    const alarms: AlarmEvent[] = [];
    const closed: string[] = [];
    inputs.pipe(liveAlarms(defaultConfig(), 30)).subscribe((a) => alarms.push(a));
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

    await waitFor(
      () => alarms.some((a) => a.subject === "gel_right" && a.state === "cleared"),
      "the faults",
      15_000,
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

    // The watchdog's stop ends the take at once (a recorder stops and saves it).
    link.stopTake(2, "test");
    await waitFor(() => closed.length === 1, "the take to stop", 5000);
    expect(sim.injected.map((f) => f.fault)).toContain("stopObeyed");
    const stopped = sim.injected.find((f) => f.fault === "stopObeyed");
    expect(closed).toEqual([`2:${stopped?.frame}`]);
  }, 30_000);
});
