import type { TapStatus } from "../hw/tap/TapSubscriber.js";
import type { NatNetStatus } from "../hw/natnet/client/index.js";
import type { Route, RouteAnswer } from "../sinks/WebSocketHub.js";
import type { DaemonMetrics } from "./DaemonMetrics.js";
import type { DaemonMessage } from "./hubMessages.js";

/** What the routes read, at request time. */
export interface HealthSources {
  readonly daemon: () => DaemonMessage;
  /** undefined while the NatNet client is being restarted. */
  readonly natnet: () => NatNetStatus | undefined;
  readonly tap: () => Pick<TapStatus, "state">;
  readonly metrics: DaemonMetrics;
}

/**
 * `/healthz`: 200 while the live pipeline runs, 503 with the reason when not (stopping, failed).
 * `/readyz`: 200 once NatNet streams and the recorder tap is connected, else 503 and what is missing.
 * `/metrics`: the Prometheus text.
 */
export function healthRoutes(sources: HealthSources): Readonly<Record<string, Route>> {
  return {
    "/healthz": () => {
      const daemon = sources.daemon();
      return daemon.state === "live"
        ? json(200, { status: "live" })
        : json(503, { status: daemon.state, reason: daemon.reason ?? daemon.state });
    },
    "/readyz": () => {
      const reasons: string[] = [];
      const natnet = sources.natnet();
      if (natnet?.state !== "connected") reasons.push(`natnet ${natnet?.state ?? "restarting"}`);
      const tap = sources.tap();
      if (tap.state !== "connected") reasons.push(`tap ${tap.state}`);
      const daemon = sources.daemon();
      if (daemon.state !== "live") reasons.push(`daemon ${daemon.state}`);
      return reasons.length === 0 ? json(200, { ready: true }) : json(503, { ready: false, reasons });
    },
    "/metrics": async () => ({ status: 200, ...(await sources.metrics.text()) }),
  };
}

function json(status: number, body: object): RouteAnswer {
  return { status, contentType: "application/json; charset=utf-8", body: `${JSON.stringify(body)}\n` };
}
