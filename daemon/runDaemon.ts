import type { Logger } from "pino";
import { EMPTY, map, merge, type Observable, share, type Subscription } from "rxjs";
import type { Config } from "../config/index.js";
import { type Alarm, type AlarmEvent, stampAlarm } from "../detectors/alarm.js";
import { type LiveObservers, liveAlarms } from "../detectors/operators/liveAlarms.js";
import { withSourceClock } from "../detectors/operators/withSourceClock.js";
import type { LiveInput } from "../detectors/samples.js";
import type { RecorderLink } from "../sinks/RecorderLink.js";
import type { WebSocketHub } from "../sinks/WebSocketHub.js";
import { AlarmBoard } from "./AlarmBoard.js";

export interface DaemonSinks {
  readonly log: Logger;
  readonly hub?: WebSocketHub;
  /** `--json`: every alarm as one JSON line on stdout. */
  readonly jsonLines?: (line: string) => void;
  /** The recorder's preview (alarms) and its take control (the watchdog's stop). */
  readonly recorder?: RecorderLink;
}

export interface RunningDaemon {
  readonly board: AlarmBoard;
  stop(): void;
}

/**
 * The composition root of the live path: inputs (NatNet, the recorder tap) → source-time clock →
 * live detectors → stamped alarms → every sink. All sinks receive the same alarm objects.
 */
export function runDaemon(
  inputs: Observable<LiveInput>,
  config: Pick<Config, "detect" | "live">,
  sinks: DaemonSinks,
  options: {
    fps: number;
    clockMs?: number;
    receiveNow?: () => number;
    wallNow?: () => Date;
    observe?: LiveObservers;
    /** Alarms the daemon raises itself (the stages refusing a path), to the same sinks. */
    alarms?: Observable<AlarmEvent>;
  },
): RunningDaemon {
  const board = new AlarmBoard();
  const receiveNow = options.receiveNow ?? (() => performance.now() / 1000);
  const wallNow = options.wallNow ?? (() => new Date());
  const alarms$ = merge(
    inputs.pipe(
      withSourceClock(options.clockMs ?? 10, receiveNow),
      liveAlarms(config, options.fps, options.observe),
    ),
    options.alarms ?? EMPTY,
  ).pipe(
    map((event): Alarm => stampAlarm(event, wallNow())),
    share(),
  );
  const subscription: Subscription = alarms$.subscribe({
    next(alarm) {
      board.apply(alarm);
      sinks.log[alarm.severity === "critical" ? "error" : "warn"](
        { alarm },
        `${alarm.kind} ${alarm.state}: ${alarm.subject}`,
      );
      sinks.hub?.broadcast(alarm);
      sinks.jsonLines?.(JSON.stringify(alarm));
      sinks.recorder?.alarm(alarm);
      const stop = stopOrder(alarm);
      if (stop) sinks.recorder?.stopTake(stop.episode, stop.reason);
    },
    error(error: unknown) {
      sinks.log.fatal({ err: error }, "live input failed");
    },
  });
  return { board, stop: () => subscription.unsubscribe() };
}

/** The watchdog's raised alarm orders the recorder to stop and save the take. */
export function stopOrder(alarm: Alarm): { episode: number; reason: string } | undefined {
  if (alarm.kind !== "watchdog" || alarm.state !== "raised" || alarm.detail.action !== "stop_take")
    return undefined;
  const episode = Number(/(\d+)$/.exec(String(alarm.detail.episode))?.[1]);
  if (!Number.isInteger(episode)) return undefined;
  return { episode, reason: `no OT on ${alarm.subject} for ${String(alarm.detail.silentS)} s` };
}
