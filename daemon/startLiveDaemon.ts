import type { Logger } from "pino";
import { map, merge, mergeMap, type Observable, Subject } from "rxjs";
import type { Config } from "../config/index.js";
import type { AlarmEvent } from "../detectors/alarm.js";
import type { LiveInput } from "../detectors/samples.js";
import { MotiveClock } from "../hw/natnet/client/MotiveClock.js";
import { NatNetClient } from "../hw/natnet/client/index.js";
import { TapSubscriber } from "../hw/tap/TapSubscriber.js";
import type { RejectedMessage } from "../sinks/hubMessages.js";
import { RecorderLink } from "../sinks/RecorderLink.js";
import { WebSocketHub } from "../sinks/WebSocketHub.js";
import { BodyHealth } from "./BodyHealth.js";
import { operatorPage } from "./operatorPage.js";
import { RejectionLog } from "./RejectionLog.js";
import { runDaemon, stopOrder } from "./runDaemon.js";
import { StageService } from "./StageService.js";
import { SeriesAggregator } from "./SeriesAggregator.js";
import { StreamHealth } from "./StreamHealth.js";
import type { LifecycleEvent } from "./TakeLifecycle.js";
import { type FollowerStep, TapFollower } from "./TapFollower.js";

export interface LiveDaemon {
  readonly hub: WebSocketHub;
  readonly recorder: RecorderLink;
  /** Takes and sessions closing: what the stage scheduler runs on. */
  readonly lifecycle$: Observable<LifecycleEvent>;
  /** The stage scheduler's runs (undefined with `stages.auto` off). */
  readonly stages: StageService | undefined;
  close(): Promise<void>;
}

export interface LiveDaemonOptions {
  /** `--json`: every alarm as one JSON line on stdout. */
  readonly jsonLines?: (line: string) => void;
}

/** The receive clock: monotonic, on the Unix epoch, so it can be compared with the recorder's stamps. */
export const receiveNow = (): number => (performance.timeOrigin + performance.now()) / 1000;

/**
 * The live daemon's composition: NatNet (Motive's clock put on the wall clock) and the recorder tap
 * → the live detectors → alarms to the log, the page, stdout and the recorder; the take lifecycle
 * → lifecycle$; health lines to the page twice a second.
 */
export async function startLiveDaemon(
  config: Config,
  log: Logger,
  options: LiveDaemonOptions = {},
): Promise<LiveDaemon> {
  const natnet = new NatNetClient({
    serverAddress: config.natnet.server,
    commandPort: config.natnet.commandPort,
    dataPort: config.natnet.dataPort,
    mode: config.natnet.mode,
    multicastGroup: config.natnet.multicastGroup,
    ...(config.natnet.localInterface ? { localInterface: config.natnet.localInterface } : {}),
    clock: receiveNow,
    log: (message, details) => log.warn({ natnet: details }, message),
  });
  const tap = new TapSubscriber({
    endpoint: config.tap.endpoint,
    silentAfterS: config.tap.silentAfterS,
    clock: receiveNow,
    guard: {
      maxAheadS: config.tap.maxAheadS,
      maxBehindS: config.tap.maxBehindS,
      senderTakeoverS: config.tap.senderTakeoverS,
    },
  });
  const rejections = new RejectionLog({ log, intervalS: config.daemon.rejectLogIntervalS });
  const recorder = await RecorderLink.bind(config.tap.alarmEndpoint);
  const follower = new TapFollower(config.session.idleTimeoutS);
  const bodies = new BodyHealth();
  const series = new SeriesAggregator();
  const streams = new StreamHealth((name) =>
    name.startsWith("gel_") ? config.live.gelStaleS : config.live.cameraStaleS,
  );
  const lifecycle = new Subject<LifecycleEvent>();
  let activeAlarms: () => object[] = () => [];
  let refusals: () => RejectedMessage | undefined = () => undefined;

  const hub = await WebSocketHub.start({
    port: config.daemon.port,
    ...(config.daemon.token ? { token: config.daemon.token } : {}),
    page: operatorPage,
    snapshot: () =>
      [
        natnet.currentStatus && { type: "natnet", status: natnet.currentStatus },
        bodies.snapshot(receiveNow()),
        streams.snapshot(receiveNow(), tap.status),
        follower.lifecycle.message(receiveNow()),
        refusals(),
        ...activeAlarms(),
      ].filter(Boolean) as object[],
  });

  // Closed takes and sessions go to the stage scheduler; its heavy work holds while a take records.
  const daemonAlarms = new Subject<AlarmEvent>();
  const stages = config.stages.auto
    ? new StageService({
        config,
        log,
        progress: (p) => hub.broadcast(p),
        alarm: (event) => daemonAlarms.next(event),
        refused: (reason, message) => rejections.note("stages", reason, message, receiveNow()),
        openTake: () => follower.lifecycle.current?.path,
        now: receiveNow,
      })
    : undefined;

  const motiveClock = new MotiveClock();
  const poses$: Observable<LiveInput> = natnet.samples$.pipe(
    map((sample) => {
      bodies.update(sample);
      series.pose(sample);
      return { type: "pose" as const, sample: { ...sample, t: motiveClock.toWall(sample.t, sample.rx) } };
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
      hub.broadcast(follower.lifecycle.message(receiveNow()));
    }
    return step.inputs;
  };
  const tap$: Observable<LiveInput> = merge(
    tap.messages$.pipe(
      mergeMap((received) => {
        if (received.message.topic === "tick") streams.onTick(received.message, received.rx);
        return followed(follower.onReceived(received));
      }),
    ),
    tap.notices$.pipe(
      mergeMap((notice) => {
        // Refusals are many in a flood: counted, and logged at a bounded rate.
        if (notice.type === "rejected") rejections.note("tap", notice.reason, notice.error, notice.rx);
        else log[notice.type === "found" ? "info" : "warn"]({ tap: notice }, `recorder tap ${notice.type}`);
        return followed(follower.onNotice(notice, receiveNow()));
      }),
    ),
  );

  const daemon = runDaemon(
    merge(poses$, tap$),
    config,
    { log, hub, recorder, ...(options.jsonLines ? { jsonLines: options.jsonLines } : {}) },
    {
      fps: 30,
      receiveNow,
      observe: { intensity: (side, _t, value) => streams.onIntensity(`gel_${side}`, value) },
      alarms: daemonAlarms,
    },
  );
  activeAlarms = () => daemon.board.active();

  const status = natnet.status$.subscribe((s) => {
    log.info({ natnet: s }, `natnet ${s.state}`);
    hub.broadcast({ type: "natnet", status: s });
  });
  const rejected = (): RejectedMessage | undefined => {
    const sources = rejections.counts();
    const natnetRefused = natnet.counters.foreign + natnet.counters.garbage;
    if (natnetRefused > 0)
      sources.natnet = {
        total: natnetRefused,
        byReason: { foreign: natnet.counters.foreign, malformed: natnet.counters.garbage },
      };
    return Object.keys(sources).length > 0 ? { type: "rejected", sources } : undefined;
  };
  refusals = rejected;
  const healthTimer = setInterval(() => {
    const now = receiveNow();
    hub.broadcast(bodies.snapshot(now));
    hub.broadcast(streams.snapshot(now, tap.status));
    rejections.flush(now);
    const refused = rejected();
    if (refused) hub.broadcast(refused);
    if (follower.lifecycle.state === "take") hub.broadcast(follower.lifecycle.message(now));
    followed(follower.onClock(now));
  }, 500);
  // The page's plots: 10 batches a second, not 240 Hz to every client.
  const seriesTimer = setInterval(() => {
    const message = series.flush();
    if (message) hub.broadcast(message);
  }, 100);
  // Once a second the recorder hears every raised alarm, and the watchdog's order again while it stands.
  const recorderTimer = setInterval(() => {
    const active = daemon.board.active();
    recorder.activeAlarms(active);
    for (const alarm of active) {
      const stop = stopOrder(alarm);
      if (stop && follower.lifecycle.current?.episode === stop.episode)
        recorder.stopTake(stop.episode, stop.reason);
    }
  }, 1000);

  tap.start();
  await natnet.start();
  log.info(
    {
      port: hub.port,
      natnet: {
        server: config.natnet.server,
        commandPort: config.natnet.commandPort,
        mode: config.natnet.mode,
      },
      tap: { endpoint: config.tap.endpoint, alarmEndpoint: config.tap.alarmEndpoint },
    },
    "rigwatch daemon listening",
  );

  return {
    hub,
    recorder,
    lifecycle$: lifecycle.asObservable(),
    stages,
    async close() {
      clearInterval(healthTimer);
      clearInterval(recorderTimer);
      clearInterval(seriesTimer);
      status.unsubscribe();
      daemon.stop();
      daemonAlarms.complete();
      lifecycle.complete();
      await Promise.all([natnet.close(), tap.close(), recorder.close(), stages?.close()]);
      await hub.close();
    },
  };
}
