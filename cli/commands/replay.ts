import { parseArgs } from "node:util";
import { lastValueFrom, map, tap, toArray } from "rxjs";
import { type Alarm, ALARM_KINDS, stampAlarm } from "../../detectors/alarm.js";
import { FrameClock } from "../../detectors/frameClock.js";
import { liveAlarms } from "../../detectors/operators/liveAlarms.js";
import { SENSOR_BODY, TACTILE_SIDES } from "../../detectors/samples.js";
import { EpisodeReader, replayEpisode, requireCameraTimes } from "../../hw/h5/index.js";
import { type AlarmFigures, alarmFigures, compareLive } from "../../stages/alarmQuality/index.js";
import { episodeKey } from "../../stages/dataset/index.js";
import { analyseEpisode } from "../../stages/detect/analyseEpisode.js";
import { declaredActiveSensors } from "../../stages/detect/declaredSensors.js";
import { configFlags, configFrom } from "../configFlags.js";
import { UsageError } from "../UsageError.js";

export async function replay(
  argv: readonly string[],
  defaultEpisode?: () => Promise<string>,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { speed: { type: "string" }, json: { type: "boolean" }, ...configFlags },
  });
  if (positionals.length > 1) throw new UsageError("replay takes one episode file");
  const config = configFrom(values);
  const speed = parseSpeed(values.speed ?? "max");
  const path = positionals[0] ?? (defaultEpisode ? await defaultEpisode() : undefined);
  if (path === undefined) throw new UsageError("replay needs an episode file");

  const reader = await EpisodeReader.open(path);
  const fps = reader.metadata.fps;
  let clock: FrameClock;
  let activeBodies: string[] | undefined;
  // The recorder declares a take's active sensors live; in a dataset, tasks.json says them.
  const declared = declaredActiveSensors(path);
  try {
    const timestamps = reader.timestamps();
    requireCameraTimes(path, timestamps); // before any line is printed: a typed error, not half a replay
    clock = new FrameClock(timestamps);
    const inactive = new Set(
      TACTILE_SIDES.filter((s) => declared && !declared.includes(s)).map((s) => SENSOR_BODY[s]),
    );
    activeBodies = declared ? reader.bodies.filter((b) => !inactive.has(b)) : undefined;
  } finally {
    reader.close();
  }
  const key = episodeKey(path);
  const print = (line: object, text: string) => console.log(values.json ? JSON.stringify(line) : text);
  if (!values.json)
    console.log(`replaying ${path} (${clock.frameCount} frames at ${fps} fps, speed ${speed})`);

  const alarms: Alarm[] = await lastValueFrom(
    replayEpisode(path, {
      speed,
      invalidQuatNorm: config.detect.invalidQuatNorm,
      ...(activeBodies ? { activeBodies } : {}),
    }).pipe(
      liveAlarms(config, fps),
      map((event) => stampAlarm(event, new Date())),
      tap((alarm) => print(alarm, describeAlarm(alarm, clock))),
      toArray(),
    ),
  );

  const { result } = await analyseEpisode(path, {
    key,
    detect: config.detect,
    ...(declared ? { activeSensors: declared } : {}),
  });
  const comparison = compareLive(alarms, result, clock, config.detect.bufferFrames);
  if (!values.json) {
    console.log(
      `\nlive vs offline (${result.nFrames} frames after trim ${result.trimOffset}, active: ${result.activeSensors.join("+") || "none"})`,
    );
    console.log(
      "list              offline  caught  critical  live-only  critical  latency frames  critical latency",
    );
  }
  for (const c of comparison) {
    const line = {
      type: "comparison",
      list: c.list,
      offlineEvents: c.offlineEvents,
      caught: c.caught,
      caughtCritical: c.caughtCritical,
      liveOnly: c.liveOnly,
      liveOnlyCritical: c.liveOnlyCritical,
      latencyFramesMedian: median(c.latencyFrames),
      latencyFramesMax: max(c.latencyFrames),
      criticalLatencyFramesMedian: median(c.criticalLatencyFrames),
      criticalLatencyFramesMax: max(c.criticalLatencyFrames),
    };
    print(
      line,
      `${c.list.padEnd(18)}${num(c.offlineEvents, 7)}${num(c.caught, 8)}${num(c.caughtCritical, 10)}${num(c.liveOnly, 11)}${num(c.liveOnlyCritical, 10)}  ${spread(c.latencyFrames).padEnd(16)}${spread(c.criticalLatencyFrames)}`,
    );
  }

  const span = {
    start: clock.timestamps[0] as number,
    end: clock.timestamps[clock.frameCount - 1] as number,
  };
  if (!values.json) {
    console.log(
      `\nalarm figures over ${(span.end - span.start).toFixed(1)} s of take (ISA-18.2 / EEMUA 191)`,
    );
    console.log("kind              raised  critical  per 10 min  chattering  standing");
  }
  for (const kind of ALARM_KINDS) {
    const figures = alarmFigures(
      alarms.filter((a) => a.kind === kind),
      span,
    );
    if (figures.raised > 0 || figures.standing.length > 0)
      print(figuresLine(kind, figures), row(kind, figures));
  }
  const all = alarmFigures(alarms, span);
  print(
    {
      ...figuresLine("all", all),
      floods: all.floods,
      floodS: all.floodS,
      peakPer10Min: all.peakPerFloodWindow,
    },
    `${row("all", all)}\nfloods (≥ 10 alarms in 10 min): ${all.floods}, ${all.floodS.toFixed(1)} s in flood; most in any 10 min: ${all.peakPerFloodWindow}`,
  );
  return 0;
}

function figuresLine(kind: string, f: AlarmFigures): object {
  return {
    type: "alarm_figures",
    kind,
    raised: f.raised,
    critical: f.critical,
    per10Min: round1(f.per10Min),
    criticalPer10Min: round1(f.criticalPer10Min),
    chattering: f.chattering.length,
    standing: f.standing.length,
  };
}

function row(kind: string, f: AlarmFigures): string {
  return `${kind.padEnd(18)}${num(f.raised, 6)}${num(f.critical, 10)}${f.per10Min.toFixed(1).padStart(12)}${num(f.chattering.length, 12)}${num(f.standing.length, 10)}`;
}

function parseSpeed(text: string): number | "max" {
  if (text === "max") return "max";
  const speed = Number(text);
  if (!(speed > 0) || !Number.isFinite(speed))
    throw new UsageError(`--speed expects a positive number or "max", got "${text}"`);
  return speed;
}

function describeAlarm(alarm: Alarm, clock: FrameClock): string {
  const frame = alarm.frame ?? Math.min(clock.frameOwning(alarm.t), clock.frameCount - 1);
  const seconds = (alarm.t - (clock.timestamps[0] as number)).toFixed(3);
  const detail = Object.entries(alarm.detail)
    .map(
      ([k, v]) =>
        `${k}=${typeof v === "number" ? Number(v.toFixed(3)) : Array.isArray(v) ? v.join("/") : String(v)}`,
    )
    .join(" ");
  return `${seconds.padStart(8)}s frame ${String(frame).padStart(5)}  ${alarm.state.padEnd(7)} ${alarm.kind.padEnd(15)} ${alarm.subject.padEnd(13)} ${alarm.severity.padEnd(8)} ${detail}`;
}

const num = (n: number, width: number) => String(n).padStart(width);
const round1 = (x: number) => Math.round(x * 10) / 10;
const median = (xs: readonly number[]) => (xs.length ? (xs[(xs.length - 1) >> 1] as number) : null);
const max = (xs: readonly number[]) => (xs.length ? (xs[xs.length - 1] as number) : null);
const spread = (xs: readonly number[]) => (xs.length ? `${median(xs)}/${max(xs)}` : "-");
