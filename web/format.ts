/** How the page writes times, ages and rates: short, fixed-width where it helps reading from afar. */

/** "0.3 s", "12 s", "4 min": the age of the last sample. */
export function formatAge(seconds: number): string {
  if (!Number.isFinite(seconds)) return "—";
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 120) return `${Math.round(seconds)} s`;
  return `${Math.round(seconds / 60)} min`;
}

/** "1:05", "1:02:03": elapsed time of a take. */
export function formatElapsed(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return hh > 0 ? `${hh}:${String(mm).padStart(2, "0")}:${ss}` : `${mm}:${ss}`;
}

/** "14:03:07.250" local time of an ISO stamp. */
export function formatClock(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

export function formatRate(hz: number): string {
  return Number.isFinite(hz) ? `${Math.round(hz)} Hz` : "—";
}

/** `ot_loss` → "OT LOSS": alarm kinds as the banner shouts them. */
export function kindLabel(kind: string): string {
  return kind === "held" ? "HELD POSE" : kind.replace(/_/g, " ").toUpperCase();
}

/** Why a held pose became an OT loss, in the operator's words (the freeze diagnosis' rule). */
const HELD_RULES: Readonly<Record<string, string>> = {
  "1": "held pose, cameras stalled",
  "2": "held pose, OT gap or jump",
  "5": "held pose, scene moving",
  limit: "held pose too long",
};

/** The reason an alarm's detail gives, when it says more than the kind: "held pose, scene moving". */
export function alarmReason(detail: Readonly<Record<string, unknown>>): string | undefined {
  if (detail.uninitialised === true) return "not streaming yet: these frames are trimmed";
  if (detail.reason !== "held") return undefined;
  return HELD_RULES[String(detail.rule)] ?? "held pose";
}

/** `real_still` → "real still": a freeze verdict as the history says it. */
export function verdictLabel(verdict: unknown): string {
  return String(verdict).replace(/_/g, " ");
}
