import type { TickMessage } from "../hw/tap/protocol.js";
import type { TapStatus } from "../hw/tap/TapSubscriber.js";
import type { StreamHealthEntry, StreamsMessage } from "./hubMessages.js";

interface StreamRecord {
  lastHash: string | undefined;
  lastNewRx: number | undefined;
  ticks: number[];
  news: number[];
  repeats: boolean[];
  intensity?: number;
}

const RATE_WINDOW_S = 2;
const DUP_WINDOW = 30;

/**
 * Per-stream rate, staleness and duplicate fraction on the receive clock, for the operator page's
 * health line (alarms come from the detectors, on the camera clock).
 */
export class StreamHealth {
  private readonly streams = new Map<string, StreamRecord>();

  constructor(private readonly staleS: (stream: string) => number) {}

  onTick(tick: TickMessage, rx: number): void {
    for (const s of tick.streams) {
      let record = this.streams.get(s.name);
      if (!record) {
        record = { lastHash: undefined, lastNewRx: undefined, ticks: [], news: [], repeats: [] };
        this.streams.set(s.name, record);
      }
      const repeated = s.hash === record.lastHash;
      record.ticks.push(rx);
      record.repeats.push(repeated);
      if (record.repeats.length > DUP_WINDOW) record.repeats.shift();
      if (!repeated) {
        record.lastHash = s.hash;
        record.lastNewRx = rx;
        record.news.push(rx);
      }
    }
  }

  onIntensity(stream: string, intensity: number): void {
    const record = this.streams.get(stream);
    if (record) record.intensity = intensity;
  }

  snapshot(rx: number, tap: TapStatus): StreamsMessage {
    const streams: Record<string, StreamHealthEntry> = {};
    for (const [name, r] of this.streams) {
      trim(r.ticks, rx - RATE_WINDOW_S);
      trim(r.news, rx - RATE_WINDOW_S);
      const ageS = r.lastNewRx === undefined ? Number.POSITIVE_INFINITY : rx - r.lastNewRx;
      streams[name] = {
        rateHz: round1(r.news.length / RATE_WINDOW_S),
        tickHz: round1(r.ticks.length / RATE_WINDOW_S),
        ageS: Math.round(ageS * 1000) / 1000,
        stale: ageS >= this.staleS(name),
        dupFraction: round3(r.repeats.filter(Boolean).length / Math.max(1, r.repeats.length)),
        ...(r.intensity === undefined ? {} : { intensity: round1(r.intensity) }),
      };
    }
    return {
      type: "streams",
      tap: {
        state: tap.state,
        dropped: tap.lost + tap.recorderDropped,
        ageS: tap.lastRx === undefined ? -1 : Math.round((rx - tap.lastRx) * 1000) / 1000,
      },
      streams,
    };
  }
}

function trim(times: number[], since: number): void {
  let n = 0;
  while (n < times.length && (times[n] as number) < since) n++;
  if (n > 0) times.splice(0, n);
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
