import type { ConnectionState } from "./HubConnection.js";
import { formatAge } from "./format.js";
import { PageModel } from "./PageModel.js";

/** The daemon sends health every 0.5 s: two missed messages and what the page shows is old. */
export const DAEMON_SILENT_S = 1.5;
/** A body whose last sample is this old is not being watched any more (Motive streams at ≥ 100 Hz). */
export const BODY_STALE_S = 0.5;

export interface Liveness {
  /** Everything on the page is current. */
  readonly live: boolean;
  /** The daemon itself is heard from; when false every panel shows old news. */
  readonly daemonLive: boolean;
  /** Why not live, in words for the operator; empty when live. */
  readonly reasons: readonly string[];
}

/**
 * Whether what the page shows is the rig now, and if not, why: the daemon gone or silent, OptiTrack
 * silent (no body has a recent sample), or the recorder tap silent. One stale body or stream is not
 * "not live": its row says STALE and the daemon raises its alarm.
 */
export function liveness(model: PageModel, connection: ConnectionState, now: number): Liveness {
  if (connection.kind === "waiting") {
    const retry = Math.max(0, (connection.retryAt - now) / 1000);
    const next = retry > 0.05 ? `reconnecting in ${retry.toFixed(1)} s` : "reconnecting";
    return { live: false, daemonLive: false, reasons: [`daemon gone: ${connection.reason} · ${next}`] };
  }
  if (connection.kind === "connecting" || model.lastMessageAt === undefined) {
    return { live: false, daemonLive: false, reasons: ["connecting to the daemon"] };
  }
  if (model.daemon && model.daemon.state !== "live") {
    const what = model.daemon.state === "failed" ? "daemon failed" : "daemon stopping";
    return {
      live: false,
      daemonLive: false,
      reasons: [`${what}: ${model.daemon.reason ?? model.daemon.state}`],
    };
  }
  const silence = (now - model.lastMessageAt) / 1000;
  if (silence > DAEMON_SILENT_S) {
    return { live: false, daemonLive: false, reasons: [`no data from the daemon for ${formatAge(silence)}`] };
  }
  const reasons: string[] = [];
  const health = model.health;
  const ages = health ? Object.values(health.message).map((e) => PageModel.bodyAge(e, health, now)) : [];
  if (model.natnet && model.natnet.state !== "connected") reasons.push(`Motive ${model.natnet.state}`);
  else if (ages.length === 0) reasons.push("no OptiTrack data yet");
  else if (ages.every((age) => age > BODY_STALE_S)) {
    reasons.push(`no OptiTrack data for ${formatAge(Math.min(...ages))}`);
  }
  const tap = model.streams?.message.tap;
  if (tap?.state === "silent") reasons.push(`recorder tap silent for ${formatAge(tap.ageS)}`);
  return { live: reasons.length === 0, daemonLive: true, reasons };
}
