import { collectDefaultMetrics, Counter, Gauge, Registry } from "prom-client";
import type { Alarm } from "../detectors/alarm.js";
import type { BodyFigures } from "./BodyHealth.js";

/** Where the gauges read their values at scrape time: the daemon's live parts. */
export interface MetricSources {
  readonly bodies: () => ReadonlyMap<string, BodyFigures>;
  readonly activeAlarms: () => readonly Alarm[];
  /** Tap figures since start: messages received, lost on the wire (sequence gaps), rejected by the decoder. */
  readonly tap: () => { readonly messages: number; readonly dropped: number; readonly rejected: number };
  /** NatNet datagrams that failed to decode, since start (across restarts of the client). */
  readonly natnetDecodeErrors: () => number;
  readonly stages: () => { readonly queued: number; readonly failures: number };
  readonly clients: () => number;
  /** What the HTTP port refused or cut off since start. */
  readonly http: () => { readonly refused: number; readonly malformed: number; readonly dropped: number };
}

/**
 * The daemon's Prometheus metrics (prom-client, a registry of its own): per-body sample rate, age
 * and tracking-valid ratio; alarms raised by kind and severity; alarms active; tap messages, drops
 * and rejects; NatNet decode errors; stage queue and failures; contained faults and source restarts;
 * and prom-client's process metrics (CPU, RSS, event-loop lag).
 */
export class DaemonMetrics {
  readonly registry = new Registry();
  readonly #alarms: Counter<"kind" | "severity">;
  readonly #internalErrors: Counter<"subject" | "component">;
  readonly #restarts: Counter<"source">;

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 10 });
    const perBody = (name: string, help: string, pick: (f: BodyFigures) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ["body"],
        registers,
        collect() {
          this.reset();
          for (const [body, figures] of sources.bodies()) this.set({ body }, pick(figures));
        },
      });
    perBody(
      "rigwatch_body_sample_rate_hz",
      "OptiTrack samples of the body over the last second",
      (f) => f.rateHz,
    );
    perBody("rigwatch_body_sample_age_seconds", "Age of the body's latest OptiTrack sample", (f) => f.ageS);
    perBody(
      "rigwatch_body_tracking_valid_ratio",
      "Share of the body's samples over the last second with the tracking-valid bit set",
      (f) => f.validRatio,
    );
    this.#alarms = new Counter({
      name: "rigwatch_alarms_raised_total",
      help: "Alarms raised, by kind and severity",
      labelNames: ["kind", "severity"],
      registers,
    });
    new Gauge({
      name: "rigwatch_alarms_active",
      help: "Alarms raised and not cleared, by severity",
      labelNames: ["severity"],
      registers,
      collect() {
        this.reset();
        for (const severity of ["info", "warning", "critical"]) this.set({ severity }, 0);
        for (const alarm of sources.activeAlarms()) this.inc({ severity: alarm.severity });
      },
    });
    const fromSource = (name: string, help: string, read: () => number) =>
      new Counter({
        name,
        help,
        registers,
        collect() {
          this.reset();
          this.inc(read());
        },
      });
    fromSource("rigwatch_tap_messages_total", "Recorder tap messages received", () => sources.tap().messages);
    fromSource(
      "rigwatch_tap_dropped_total",
      "Recorder tap messages lost on the wire (sequence gaps)",
      () => sources.tap().dropped,
    );
    fromSource(
      "rigwatch_tap_rejected_total",
      "Recorder tap messages the decoder rejected",
      () => sources.tap().rejected,
    );
    fromSource(
      "rigwatch_natnet_decode_errors_total",
      "NatNet datagrams that failed to decode",
      sources.natnetDecodeErrors,
    );
    fromSource(
      "rigwatch_stage_failures_total",
      "Post-session stage runs that failed",
      () => sources.stages().failures,
    );
    new Gauge({
      name: "rigwatch_stage_queue_length",
      help: "Post-session stage runs queued or running",
      registers,
      collect() {
        this.set(sources.stages().queued);
      },
    });
    new Gauge({
      name: "rigwatch_ws_clients",
      help: "Clients connected to /ws",
      registers,
      collect() {
        this.set(sources.clients());
      },
    });
    this.#internalErrors = new Counter({
      name: "rigwatch_internal_errors_total",
      help: "Throws contained on the live path (the component was reset), by subject and component",
      labelNames: ["subject", "component"],
      registers,
    });
    this.#restarts = new Counter({
      name: "rigwatch_source_restarts_total",
      help: "Live sources (NatNet, tap) that died and were started again",
      labelNames: ["source"],
      registers,
    });
    fromSource("rigwatch_http_refused_total", "HTTP requests answered 4xx", () => sources.http().refused);
    fromSource(
      "rigwatch_http_malformed_total",
      "Connections whose bytes were not HTTP",
      () => sources.http().malformed,
    );
    fromSource(
      "rigwatch_ws_dropped_total",
      "WebSocket clients cut off (fell behind, or sent what they may not)",
      () => sources.http().dropped,
    );
  }

  alarm(alarm: Alarm): void {
    if (alarm.state === "raised") this.#alarms.inc({ kind: alarm.kind, severity: alarm.severity });
  }

  internalError(subject: string, component: string): void {
    this.#internalErrors.inc({ subject, component });
  }

  sourceRestarted(source: string): void {
    this.#restarts.inc({ source });
  }

  /** The Prometheus text exposition. */
  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
