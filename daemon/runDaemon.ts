import type { Logger } from "pino";
import { map, type Observable, share, type Subscription } from "rxjs";
import type { Config } from "../config/index.js";
import { type Alarm, type AlarmEvent, stampAlarm } from "../detectors/alarm.js";
import { ComponentGuard, type ContainedFault } from "../detectors/live/ComponentGuard.js";
import { type LiveDetectorSeams, type LiveObservers, liveAlarms } from "../detectors/operators/liveAlarms.js";
import { withSourceClock } from "../detectors/operators/withSourceClock.js";
import type { LiveInput } from "../detectors/samples.js";
import type { AlarmJournal, JournalTake } from "../sinks/AlarmJournal.js";
import type { RecorderLink } from "../sinks/RecorderLink.js";
import type { WebSocketHub } from "../sinks/WebSocketHub.js";
import { AlarmBoard } from "./AlarmBoard.js";
import type { HubMessage } from "./hubMessages.js";

/** Somewhere an alarm goes. A sink that throws is contained: the others still get the alarm. */
export interface AlarmSink {
  /** Named in the `internal_error` alarm when it throws. */
  readonly name: string;
  deliver(alarm: Alarm): void;
}

export interface DaemonSinks {
  readonly log: Logger;
  /** The alarm journal: every alarm is committed there before any other sink sees it. */
  readonly journal?: AlarmJournal;
  /** The take running now, recorded with each alarm in the journal. */
  readonly take?: () => JournalTake | undefined;
  readonly hub?: WebSocketHub<HubMessage>;
  /** `--json`: every alarm as one JSON line on stdout. */
  readonly jsonLines?: (line: string) => void;
  /** The recorder's preview (alarms) and its take control (the watchdog's stop). */
  readonly recorder?: RecorderLink;
  /** More sinks after these (tests put a failing one here). */
  readonly extra?: readonly AlarmSink[];
}

export interface RunningDaemon {
  readonly board: AlarmBoard;
  stop(): void;
}

export interface RunDaemonOptions {
  readonly fps: number;
  readonly clockMs?: number;
  readonly receiveNow?: () => number;
  readonly wallNow?: () => Date;
  readonly observe?: LiveObservers;
  /** Failing detectors for the tests (see LiveDetectorSeams). */
  readonly seams?: LiveDetectorSeams;
  /** Alarms the daemon raises itself (the stages refusing a path), to the same sinks. */
  readonly alarms?: Observable<AlarmEvent>;
  /** Every alarm, once delivered (the metrics). */
  readonly onAlarm?: (alarm: Alarm) => void;
  /**
   * The live stream ended or failed: nothing watches the rig any more. The daemon exits on it (the
   * service manager restarts it); without it the failure is only logged at fatal.
   */
  readonly onFatal?: (reason: string, error?: unknown) => void;
}

/**
 * The composition root of the live path: inputs (NatNet, the recorder tap) → source-time clock →
 * live detectors (each body and stream guarded) → stamped alarms → the journal, then every other
 * sink, each guarded. All sinks receive the same alarm objects.
 */
export function runDaemon(
  inputs: Observable<LiveInput>,
  config: Pick<Config, "detect" | "live">,
  sinks: DaemonSinks,
  options: RunDaemonOptions,
): RunningDaemon {
  const board = new AlarmBoard();
  const receiveNow = options.receiveNow ?? (() => performance.now() / 1000);
  const wallNow = options.wallNow ?? (() => new Date());
  const logFault = (fault: ContainedFault) => {
    // The alarm says it once; the log says every throw, with its stack, at most once per 100 of a part.
    if (fault.count === 1 || fault.count % 100 === 0)
      sinks.log.error(
        { err: fault.error, subject: fault.subject, component: fault.component, count: fault.count },
        `internal error contained: ${fault.component} of ${fault.subject} reset`,
      );
  };
  const observe: LiveObservers = {
    ...options.observe,
    fault: (fault) => {
      logFault(fault);
      options.observe?.fault?.(fault);
    },
  };
  const sinkGuard = new ComponentGuard({
    clearAfterS: config.live.internalErrorClearS,
    onFault: observe.fault,
  });
  const outlets: AlarmSink[] = [
    ...(sinks.journal ? [journalSink(sinks.journal, sinks.take)] : []),
    {
      name: "log",
      deliver: (alarm) =>
        sinks.log[alarm.severity === "critical" ? "error" : "warn"](
          { alarm },
          `${alarm.kind} ${alarm.state}: ${alarm.subject}`,
        ),
    },
    ...(sinks.hub ? [{ name: "ws", deliver: (alarm: Alarm) => sinks.hub?.broadcast(alarm) }] : []),
    ...(sinks.jsonLines
      ? [{ name: "stdout", deliver: (alarm: Alarm) => sinks.jsonLines?.(JSON.stringify(alarm)) }]
      : []),
    ...(sinks.recorder ? [recorderSink(sinks.recorder)] : []),
    ...(sinks.extra ?? []),
  ];

  const deliver = (alarm: Alarm, depth: number): void => {
    board.apply(alarm);
    const raisedByFaults: AlarmEvent[] = [];
    for (const sink of outlets) {
      raisedByFaults.push(
        ...sinkGuard.run(
          sink.name,
          "sink",
          alarm.t,
          () => (sink.deliver(alarm), []),
          () => undefined,
        ),
      );
    }
    try {
      options.onAlarm?.(alarm);
    } catch (error) {
      sinks.log.error({ err: error }, "alarm observer failed");
    }
    // A sink's fault is itself an alarm for the others; one that fails again on it is only counted.
    if (depth === 0) for (const event of raisedByFaults) deliver(stampAlarm(event, wallNow()), 1);
  };

  const alarms$ = inputs.pipe(
    withSourceClock(options.clockMs ?? 10, receiveNow),
    liveAlarms(config, options.fps, observe, options.seams),
    map((event): Alarm => stampAlarm(event, wallNow())),
    share(),
  );
  const fatal = (reason: string, error?: unknown) => {
    sinks.log.fatal({ err: error }, reason);
    options.onFatal?.(reason, error);
  };
  const subscription: Subscription = alarms$.subscribe({
    next: (alarm) => deliver(alarm, 0),
    error: (error: unknown) => fatal("live input failed: nothing watches the rig", error),
    complete: () => fatal("live input ended: nothing watches the rig"),
  });
  // The daemon's own alarms share the sinks but not the live stream's end: theirs is not the rig's.
  const own = options.alarms?.subscribe((event) => deliver(stampAlarm(event, wallNow()), 0));
  if (own) subscription.add(own);
  return {
    board,
    stop: () => {
      subscription.unsubscribe();
    },
  };
}

function journalSink(journal: AlarmJournal, take: (() => JournalTake | undefined) | undefined): AlarmSink {
  return { name: "journal", deliver: (alarm) => journal.record(alarm, take?.()) };
}

function recorderSink(recorder: RecorderLink): AlarmSink {
  return {
    name: "recorder",
    deliver(alarm) {
      recorder.alarm(alarm);
      const stop = stopOrder(alarm);
      if (stop) recorder.stopTake(stop.episode, stop.reason);
    },
  };
}

/** The watchdog's raised alarm orders the recorder to stop and save the take. */
export function stopOrder(alarm: Alarm): { episode: number; reason: string } | undefined {
  if (alarm.kind !== "watchdog" || alarm.state !== "raised" || alarm.detail.action !== "stop_take")
    return undefined;
  const episode = alarm.detail.episode;
  if (typeof episode !== "number") return undefined;
  return { episode, reason: `no OT on ${alarm.subject} for ${String(alarm.detail.silentS)} s` };
}
