import type { Logger } from "pino";
import { catchError, EMPTY, map, merge, mergeMap, type Observable, Subject, switchMap } from "rxjs";
import type { Config } from "../config/index.js";
import type { Alarm, AlarmEvent } from "../detectors/alarm.js";
import type { LiveDetectorSeams } from "../detectors/operators/liveAlarms.js";
import type { LiveInput } from "../detectors/samples.js";
import { MotiveClock } from "../hw/natnet/client/MotiveClock.js";
import { NatNetClient, type NatNetStatus } from "../hw/natnet/client/index.js";
import { type TapStatus, TapSubscriber } from "../hw/tap/TapSubscriber.js";
import { AlarmJournal } from "../sinks/AlarmJournal.js";
import { FoxgloveLiveServer } from "../sinks/foxglove/FoxgloveLiveServer.js";
import { RecorderLink } from "../sinks/RecorderLink.js";
import { WebSocketHub } from "../sinks/WebSocketHub.js";
import { BodyHealth } from "./BodyHealth.js";
import { DaemonMetrics } from "./DaemonMetrics.js";
import { healthRoutes } from "./healthRoutes.js";
import type { DaemonMessage, HistoryMessage, HubMessage, RejectedMessage } from "./hubMessages.js";
import { journalFile } from "./journalFile.js";
import { operatorPage } from "./operatorPage.js";
import { ProgressBoard } from "./ProgressBoard.js";
import { RejectionLog } from "./RejectionLog.js";
import { type AlarmSink, type RunningDaemon, runDaemon, stopOrder } from "./runDaemon.js";
import { SeriesAggregator } from "./SeriesAggregator.js";
import { SourceSupervisor } from "./SourceSupervisor.js";
import { StageService } from "./StageService.js";
import { StartStack } from "./StartStack.js";
import { StreamHealth } from "./StreamHealth.js";
import type { LifecycleEvent } from "./TakeState.js";
import { type FollowerStep, TapFollower } from "./TapFollower.js";

export interface LiveDaemon {
  readonly hub: WebSocketHub<HubMessage>;
  readonly recorder: RecorderLink;
  readonly journal: AlarmJournal;
  readonly metrics: DaemonMetrics;
  /** Takes and sessions closing: what the stage scheduler runs on. */
  readonly lifecycle$: Observable<LifecycleEvent>;
  /** The stage scheduler's runs (undefined with `stages.auto` off). */
  readonly stages: StageService | undefined;
  /** The running NatNet client and tap subscriber (replaced when their sockets die). */
  readonly natnet: SourceSupervisor<NatNetClient>;
  readonly tap: SourceSupervisor<TapSubscriber>;
  /** The live pipeline cannot go on: says so on /healthz and to every page, before the process exits. */
  fail(reason: string): void;
  /** Stops every component in reverse order of start; resolves with those that failed to stop. */
  close(): Promise<string[]>;
}

export interface LiveDaemonOptions {
  /** `--json`: every alarm as one JSON line on stdout. */
  readonly jsonLines?: (line: string) => void;
  /** The live stream ended or failed (nothing watches the rig): the caller exits. */
  readonly onFatal?: (reason: string, error?: unknown) => void;
  /** Failing parts for the tests: a detector, a sink. The daemon itself passes none. */
  readonly seams?: { readonly detectors?: LiveDetectorSeams; readonly sinks?: readonly AlarmSink[] };
}

/** The receive clock: monotonic, on the Unix epoch, so it can be compared with the recorder's stamps. */
export const receiveNow = (): number => (performance.timeOrigin + performance.now()) / 1000;

/** How many journal entries a page gets as its history on connecting. */
const HISTORY_ON_CONNECT = 500;

/**
 * The live daemon's composition: NatNet (Motive's clock put on the wall clock) and the recorder tap,
 * each supervised (restarted with backoff when its socket dies) → the live detectors → alarms to the
 * journal, then the log, the page, stdout and the recorder; the take lifecycle → lifecycle$; health
 * lines to the page twice a second; /healthz, /readyz and /metrics. Components start in order; a
 * failure stops those already started (in reverse) and throws a DaemonStartError naming the one that
 * failed.
 */
export async function startLiveDaemon(
  config: Config,
  log: Logger,
  options: LiveDaemonOptions = {},
): Promise<LiveDaemon> {
  const stack = new StartStack({ log });
  try {
    return await compose(config, log, options, stack);
  } catch (error) {
    await stack.stopAll();
    throw error;
  }
}

async function compose(
  config: Config,
  log: Logger,
  options: LiveDaemonOptions,
  stack: StartStack,
): Promise<LiveDaemon> {
  const follower = new TapFollower(config.session.idleTimeoutS);
  const bodies = new BodyHealth();
  const series = new SeriesAggregator();
  const streams = new StreamHealth((name) =>
    name.startsWith("gel_") ? config.live.gelStaleS : config.live.cameraStaleS,
  );
  const lifecycle = new Subject<LifecycleEvent>();
  const sourceEvents = new Subject<LiveInput>();
  // The stages' latest progress, for pages that connect late (the stages report only on a change).
  const progress = new ProgressBoard();
  // Refused inputs (tap messages, NatNet datagrams, stage paths): counted, logged at a bounded rate.
  const rejections = new RejectionLog({ log, intervalS: config.daemon.rejectLogIntervalS });
  // Alarms the daemon raises itself (the stages refusing a path), to the same sinks as the detectors'.
  const daemonAlarms = new Subject<AlarmEvent>();
  let liveState: DaemonMessage = { type: "daemon", state: "live" };
  // Assigned once the detectors start; the metrics and the snapshot read it before that.
  let daemon: RunningDaemon | undefined = undefined;
  let tapMessages = 0;
  let natnetGarbageBefore = 0;

  // 1. The journal: every alarm is committed there before anything else hears of it.
  const journal = await stack.start(
    "the alarm journal",
    () => {
      const j = new AlarmJournal({ file: journalFile(config), retentionDays: config.journal.retentionDays });
      j.prune();
      return j;
    },
    (j) => j.close(),
  );
  // 2. The recorder's alarm endpoint (ZeroMQ bind).
  const recorder = await stack.start(
    `the recorder alarm endpoint ${config.tap.alarmEndpoint}`,
    () => RecorderLink.bind(config.tap.alarmEndpoint),
    (r) => r.close(),
  );

  const natnet = new SourceSupervisor<NatNetClient>({
    name: "natnet",
    create: () =>
      new NatNetClient({
        serverAddress: config.natnet.server,
        commandPort: config.natnet.commandPort,
        dataPort: config.natnet.dataPort,
        mode: config.natnet.mode,
        multicastGroup: config.natnet.multicastGroup,
        ...(config.natnet.localInterface ? { localInterface: config.natnet.localInterface } : {}),
        clock: receiveNow,
        log: (message, details) => log.warn({ natnet: details }, message),
      }),
    failures: (client) => client.failure$,
  });
  const tap = new SourceSupervisor<TapSubscriber>({
    name: "tap",
    create: () =>
      new TapSubscriber({
        endpoint: config.tap.endpoint,
        silentAfterS: config.tap.silentAfterS,
        clock: receiveNow,
        guard: {
          maxAheadS: config.tap.maxAheadS,
          maxBehindS: config.tap.maxBehindS,
          senderTakeoverS: config.tap.senderTakeoverS,
        },
      }),
    failures: (subscriber) => subscriber.messages$,
  });
  const natnetStatus = (): NatNetStatus | undefined => natnet.current?.currentStatus;
  const tapStatus = (): TapStatus =>
    tap.current?.status ?? { state: "waiting", lost: 0, recorderDropped: 0, rejected: 0, rejectedBy: {} };
  const rejected = (): RejectedMessage | undefined => {
    const sources = rejections.counts();
    const foreign = natnet.current?.counters.foreign ?? 0;
    const malformed = natnetGarbageBefore + (natnet.current?.counters.garbage ?? 0);
    if (foreign + malformed > 0)
      sources.natnet = { total: foreign + malformed, byReason: { foreign, malformed } };
    return Object.keys(sources).length > 0 ? { type: "rejected", sources } : undefined;
  };
  const takeMessage = (now: number): HubMessage => ({ type: "take", ...follower.lifecycle.view(now) });

  const metrics = new DaemonMetrics({
    bodies: () => bodies.figures(receiveNow()),
    activeAlarms: () => daemon?.board.active() ?? [],
    tap: () => ({ messages: tapMessages, dropped: tapStatus().lost, rejected: tapStatus().rejected }),
    natnetDecodeErrors: () => natnetGarbageBefore + (natnet.current?.counters.garbage ?? 0),
    stages: () => stages?.figures ?? { queued: 0, failures: 0 },
    clients: () => hub.clients,
    http: () => hub.counters,
  });

  const history = (): HistoryMessage => ({
    type: "history",
    run: journal.run,
    entries: journal.list({ limit: HISTORY_ON_CONNECT }).map((e) => ({ run: e.run, alarm: e.alarm })),
  });
  // The same live view for Foxglove, at /foxglove on the page's port.
  const foxglove = config.daemon.foxglove.enabled
    ? await stack.start(
        "the Foxglove live view",
        () => new FoxgloveLiveServer({ origins: config.daemon.foxglove.origins, now: receiveNow }),
        (f) => f.close(),
      )
    : undefined;
  // 3. The HTTP port: the page, /ws, /foxglove, /healthz, /readyz, /metrics.
  const hub: WebSocketHub<HubMessage> = await stack.start(
    `the page's HTTP port ${config.daemon.port}`,
    () =>
      WebSocketHub.start<HubMessage>({
        ...(foxglove
          ? { sockets: [foxglove.socket], onBroadcast: (m: HubMessage) => foxglove.hubMessage(m) }
          : {}),
        port: config.daemon.port,
        ...(config.daemon.token ? { token: config.daemon.token } : {}),
        page: operatorPage,
        routes: healthRoutes({ daemon: () => liveState, natnet: natnetStatus, tap: tapStatus, metrics }),
        snapshot: () => {
          const status = natnetStatus();
          const now = receiveNow();
          const refused = rejected();
          return [
            liveState,
            ...(status ? [{ type: "natnet" as const, status }] : []),
            bodies.snapshot(now),
            streams.snapshot(now, tapStatus()),
            takeMessage(now),
            history(),
            ...(refused ? [refused] : []),
            ...progress.snapshot(),
            ...(daemon?.board.active() ?? []),
          ];
        },
      }),
    async (h) => {
      h.broadcast({ type: "daemon", state: "stopping", reason: "rigwatch is stopping" });
      await h.close();
    },
  );
  hub.onServerError((error) => options.onFatal?.("the page's HTTP port failed", error));

  // 4. The post-session stages: closed takes and sessions; heavy work holds while a take records.
  const stages = config.stages.auto
    ? await stack.start(
        "the stage worker pool",
        () =>
          new StageService({
            config,
            log,
            progress: (stage) => {
              const message = { type: "progress" as const, ...stage };
              progress.apply(message);
              hub.broadcast(message);
            },
            alarm: (event) => daemonAlarms.next(event),
            refused: (reason, message) => rejections.note("stages", reason, message, receiveNow()),
            openTake: () => follower.lifecycle.current?.path,
            now: receiveNow,
          }),
        (s) => s.close(),
      )
    : undefined;

  // 5. The live pipeline: every source through its supervisor, so a dead socket is a restart, not the end.
  const motiveClock = new MotiveClock();
  const poses$: Observable<LiveInput> = natnet.current$.pipe(
    switchMap((client) => (client ? client.samples$.pipe(catchError(() => EMPTY)) : EMPTY)),
    map((sample) => {
      bodies.update(sample);
      series.pose(sample);
      const onWall = { ...sample, t: motiveClock.toWall(sample.t, sample.rx) };
      foxglove?.pose(onWall);
      return { type: "pose" as const, sample: onWall };
    }),
  );
  const followed = (step: FollowerStep): readonly LiveInput[] => {
    for (const event of step.events) {
      log.info(
        { lifecycle: event },
        event.type === "episode_closed"
          ? `episode ${event.episode} closed`
          : `session closed (${event.reason})`,
      );
      hub.broadcast({ type: "lifecycle", event });
      lifecycle.next(event);
      stages?.onLifecycle(event);
    }
    if (step.changed) {
      stages?.onTakeState(follower.lifecycle.state);
      hub.broadcast(takeMessage(receiveNow()));
    }
    return step.inputs;
  };
  const tap$: Observable<LiveInput> = tap.current$.pipe(
    switchMap((subscriber) =>
      subscriber
        ? merge(
            subscriber.messages$.pipe(
              catchError(() => EMPTY),
              mergeMap((received) => {
                tapMessages++;
                if (received.message.topic === "tick") {
                  streams.onTick(received.message, received.rx);
                  for (const s of received.message.streams)
                    foxglove?.thumbnail(
                      s.name,
                      s.name.startsWith("gel_") ? "RGB" : "BGR",
                      s.thumb,
                      received.message.ts,
                    );
                }
                return followed(follower.onReceived(received));
              }),
            ),
            subscriber.notices$.pipe(
              mergeMap((notice) => {
                // Refusals are many in a flood: counted, and logged at a bounded rate.
                if (notice.type === "rejected")
                  rejections.note("tap", notice.reason, notice.error, notice.rx);
                else
                  log[notice.type === "found" ? "info" : "warn"](
                    { tap: notice },
                    `recorder tap ${notice.type}`,
                  );
                return followed(follower.onNotice(notice, receiveNow()));
              }),
            ),
          )
        : EMPTY,
    ),
  );

  daemon = await stack.start(
    "the live detectors",
    () =>
      runDaemon(
        merge(poses$, tap$, sourceEvents),
        config,
        {
          log,
          journal,
          take: () => {
            const current = follower.lifecycle.current;
            return current ? { take: current.episode, episode: current.path } : undefined;
          },
          hub,
          recorder,
          ...(options.jsonLines ? { jsonLines: options.jsonLines } : {}),
          ...(options.seams?.sinks ? { extra: options.seams.sinks } : {}),
        },
        {
          fps: 30,
          receiveNow,
          observe: {
            // The streams table shows the latest value, the page's plot the last 30 s on the receive clock.
            intensity: (side, _t, value) => {
              streams.onIntensity(`gel_${side}`, value);
              series.intensity(side, value, receiveNow());
            },
            fault: (fault) => metrics.internalError(fault.subject, fault.component),
          },
          ...(options.seams?.detectors ? { seams: options.seams.detectors } : {}),
          onAlarm: (alarm) => metrics.alarm(alarm),
          alarms: daemonAlarms,
          ...(options.onFatal ? { onFatal: options.onFatal } : {}),
        },
      ),
    (d) => d.stop(),
  );

  // A source that died is a `stream_stale` on it until its replacement delivers again.
  const sourceLost = (source: string) =>
    sourceEvents.next({ type: "source", source, state: "lost", t: receiveNow() });
  const supervision = merge(natnet.events$, tap.events$).subscribe((event) => {
    if (event.type === "failed") {
      log.error(
        { err: event.error, source: event.source, restartInMs: event.restartInMs },
        `${event.source} source failed; restarting`,
      );
      sourceLost(event.source);
    } else if (event.type === "restart_failed") {
      log.error(
        { err: event.error, source: event.source, attempt: event.attempt },
        `${event.source} restart failed`,
      );
    } else {
      log.info({ source: event.source, attempt: event.attempt }, `${event.source} source restarted`);
      metrics.sourceRestarted(event.source);
    }
  });
  stack.defer("source supervision", () => supervision.unsubscribe());
  // NatNet's state to the page; a restarted client's "connected" clears the natnet stream_stale.
  const natnetStatuses = natnet.current$
    .pipe(switchMap((client) => (client ? client.status$.pipe(catchError(() => EMPTY)) : EMPTY)))
    .subscribe((s) => {
      log.info({ natnet: s }, `natnet ${s.state}`);
      hub.broadcast({ type: "natnet", status: s });
      if (s.state === "connected")
        sourceEvents.next({ type: "source", source: "natnet", state: "found", t: receiveNow() });
    });
  stack.defer("the natnet status", () => natnetStatuses.unsubscribe());
  // Decode errors count across restarts: a replaced client's count is kept.
  let countedClient: NatNetClient | undefined;
  const garbageBeforeRestart = natnet.current$.subscribe((client) => {
    if (countedClient && countedClient !== client) natnetGarbageBefore += countedClient.counters.garbage;
    countedClient = client;
  });
  stack.defer("the natnet counters", () => garbageBeforeRestart.unsubscribe());

  // 6. The sources, last: a bad endpoint fails the start here, with everything before stopped.
  await stack.start(
    `the recorder tap ${config.tap.endpoint}`,
    () => tap.start(),
    () => tap.close(),
  );
  await stack.start(
    `NatNet (Motive at ${config.natnet.server}:${config.natnet.commandPort})`,
    () => natnet.start(),
    () => natnet.close(),
  );

  // 7. Timers: health twice a second, the plots ten times, the recorder's alarm list once.
  const healthTimer = setInterval(() => {
    const now = receiveNow();
    hub.broadcast(bodies.snapshot(now));
    hub.broadcast(streams.snapshot(now, tapStatus()));
    rejections.flush(now);
    const refused = rejected();
    if (refused) hub.broadcast(refused);
    if (follower.lifecycle.state === "take") hub.broadcast(takeMessage(now));
    for (const input of followed(follower.onClock(now))) sourceEvents.next(input);
  }, 500);
  const seriesTimer = setInterval(() => {
    const message = series.flush();
    if (message) hub.broadcast(message);
  }, 100);
  const recorderTimer = setInterval(() => {
    const active: readonly Alarm[] = daemon?.board.active() ?? [];
    recorder.activeAlarms(active);
    for (const alarm of active) {
      const stop = stopOrder(alarm);
      if (stop && follower.lifecycle.current?.episode === stop.episode)
        recorder.stopTake(stop.episode, stop.reason);
    }
  }, 1000);
  const pruneTimer = setInterval(() => journal.prune(), 3_600_000);
  stack.defer("the timers", () => {
    clearInterval(healthTimer);
    clearInterval(seriesTimer);
    clearInterval(recorderTimer);
    clearInterval(pruneTimer);
    daemonAlarms.complete();
    lifecycle.complete();
  });

  log.info(
    {
      port: hub.port,
      natnet: {
        server: config.natnet.server,
        commandPort: config.natnet.commandPort,
        mode: config.natnet.mode,
      },
      tap: { endpoint: config.tap.endpoint, alarmEndpoint: config.tap.alarmEndpoint },
      journal: journal.file,
    },
    "rigwatch daemon listening",
  );

  return {
    hub,
    recorder,
    journal,
    metrics,
    lifecycle$: lifecycle.asObservable(),
    stages,
    natnet,
    tap,
    fail(reason) {
      liveState = { type: "daemon", state: "failed", reason };
      hub.broadcast(liveState);
    },
    async close() {
      if (liveState.state === "live")
        liveState = { type: "daemon", state: "stopping", reason: "rigwatch is stopping" };
      return stack.stopAll();
    },
  };
}
