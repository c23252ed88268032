import type { Alarm } from "../detectors/alarm.js";
import { OtAlarmTracker } from "../detectors/live/OtAlarmTracker.js";
import type { OtTracker } from "../detectors/operators/liveAlarms.js";
import type { LiveDaemonOptions } from "./startLiveDaemon.js";

/**
 * The test seam of a real `rigwatch run` process: `RIGWATCH_TEST_SEAM` (JSON) puts a failing part on
 * the live path, so the process-level tests can prove containment and the fatal exit end to end.
 * Unset (always, in service), it adds nothing.
 *
 * - `throwingTracker: "sensor_left"`: that body's OT tracker throws on every sample;
 * - `throwingSink: "NAME"`: an extra alarm sink NAME that throws on every alarm;
 * - `uncaughtAfterMs: N`: an exception nothing catches, N ms after start.
 */
export function testSeams(env: NodeJS.ProcessEnv): Pick<LiveDaemonOptions, "seams"> {
  const raw = env.RIGWATCH_TEST_SEAM;
  if (!raw) return {};
  const seam = JSON.parse(raw) as {
    throwingTracker?: string;
    throwingSink?: string;
    uncaughtAfterMs?: number;
  };
  if (seam.uncaughtAfterMs !== undefined)
    setTimeout(() => {
      throw new Error("test seam: an exception nothing catches");
    }, seam.uncaughtAfterMs).unref();
  const body = seam.throwingTracker;
  const sink = seam.throwingSink;
  return {
    seams: {
      ...(body
        ? {
            detectors: {
              otTracker: (options) =>
                options.body === body ? throwingTracker(options.body) : new OtAlarmTracker(options),
            },
          }
        : {}),
      ...(sink
        ? {
            sinks: [
              {
                name: sink,
                deliver: (alarm: Alarm) => {
                  throw new Error(`test seam: sink ${sink} refuses ${alarm.id}`);
                },
              },
            ],
          }
        : {}),
    },
  };
}

function throwingTracker(body: string): OtTracker {
  return {
    onSample: () => {
      throw new Error(`test seam: ${body}'s tracker throws`);
    },
    onClock: () => [],
    onScene: () => [],
    onTakeStart: () => [],
    repeating: false,
    needed: true,
  };
}
