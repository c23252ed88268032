import { parseArgs } from "node:util";
import { lastValueFrom, map, tap, toArray } from "rxjs";
import { type Alarm, stampAlarm } from "../../detectors/alarm.js";
import { FrameClock } from "../../detectors/frameClock.js";
import { liveAlarms } from "../../detectors/operators/liveAlarms.js";
import { EpisodeReader, replayEpisode, requireCameraTimes } from "../../hw/h5/index.js";
import { analyseEpisode } from "../../stages/detect/analyseEpisode.js";
import { compareLive } from "../../stages/detect/compareLive.js";
import { episodeKey } from "../../stages/dataset/index.js";
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
  try {
    const timestamps = reader.timestamps();
    requireCameraTimes(path, timestamps); // before any line is printed: a typed error, not half a replay
    clock = new FrameClock(timestamps);
  } finally {
    reader.close();
  }
  const key = episodeKey(path);
  const print = (line: object, text: string) => console.log(values.json ? JSON.stringify(line) : text);
  if (!values.json)
    console.log(`replaying ${path} (${clock.frameCount} frames at ${fps} fps, speed ${speed})`);

  const alarms: Alarm[] = await lastValueFrom(
    replayEpisode(path, { speed, invalidQuatNorm: config.detect.invalidQuatNorm, episode: key }).pipe(
      liveAlarms(config, fps),
      map((event) => stampAlarm(event, new Date())),
      tap((alarm) => print(alarm, describeAlarm(alarm, clock))),
      toArray(),
    ),
  );

  const { result } = await analyseEpisode(path, { key, detect: config.detect });
  const comparison = compareLive(alarms, result, clock, config.detect.bufferFrames);
  if (!values.json) {
    console.log(
      `\nlive vs offline (${result.nFrames} frames after trim ${result.trimOffset}, active: ${result.activeSensors.join("+") || "none"})`,
    );
    console.log("list              offline  caught  live-only  latency frames (median/max)");
  }
  for (const c of comparison) {
    const latency = c.latencyFramesMedian === null ? "-" : `${c.latencyFramesMedian}/${c.latencyFramesMax}`;
    print(
      { type: "comparison", ...c },
      `${c.list.padEnd(18)}${String(c.offlineEvents).padStart(7)}${String(c.matched).padStart(8)}${String(c.liveOnly).padStart(11)}  ${latency}`,
    );
  }
  return 0;
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
    .map(([k, v]) => `${k}=${typeof v === "number" ? Number(v.toFixed(3)) : String(v)}`)
    .join(" ");
  return `${seconds.padStart(8)}s frame ${String(frame).padStart(5)}  ${alarm.state.padEnd(7)} ${alarm.kind.padEnd(15)} ${alarm.subject.padEnd(13)} ${alarm.severity.padEnd(8)} ${detail}`;
}
