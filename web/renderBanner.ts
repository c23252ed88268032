import type { AlarmEntry } from "./AlarmLog.js";
import type { AlertSound } from "./AlertSound.js";
import { byId, setClass, setText } from "./dom.js";
import { alarmReason, formatAge, kindLabel } from "./format.js";
import type { PageModel } from "./PageModel.js";

/**
 * The full-width banner while any critical alarm is raised, the warnings under it, and the sound
 * line (muted / sounding / needs a click).
 */
export function renderBanner(model: PageModel, sound: AlertSound, now: number): void {
  const critical = model.alarms.activeCritical();
  const banner = byId("banner");
  const show = critical.length > 0;
  if (banner.hidden === show) banner.hidden = !show;
  const daemonNow = daemonClock(model, now);
  setText(byId("banner-text"), critical.map((e) => alarmLine(e, daemonNow)).join("\n"));
  const unacknowledged = critical.some((e) => !e.acknowledged);
  setClass(banner, unacknowledged ? "alerting" : "acknowledged");
  const ack = byId<HTMLButtonElement>("ack");
  if (ack.hidden === unacknowledged) ack.hidden = !unacknowledged;

  const warnings = model.alarms.activeOther();
  const strip = byId("warnings");
  if (strip.hidden === warnings.length > 0) strip.hidden = warnings.length === 0;
  setText(strip, warnings.map((e) => `WARNING · ${alarmLine(e, daemonNow)}`).join("\n"));

  setText(byId("mute"), sound.muted ? "Sound OFF — unmute" : "Sound ON — mute");
  byId("mute").setAttribute("aria-pressed", String(sound.muted));
  const note = !show
    ? ""
    : sound.muted
      ? "Alarm sound muted"
      : !unacknowledged
        ? "Acknowledged: sound stopped until the next alarm"
        : sound.allowed
          ? "Alarm sounding"
          : "Click anywhere on the page to let it sound the alarm";
  setText(byId("sound-note"), note);
  byId("sound-note").dataset.beeps = String(sound.beeps);
}

/**
 * "OT LOSS · sensor_left · for 2.3 s", with the reason when the kind alone does not say it ("held
 * pose, scene moving"): one line per alarm; the history has the times.
 */
function alarmLine(entry: AlarmEntry, daemonNow: number | undefined): string {
  const alarm = entry.raised;
  if (!alarm) return entry.id;
  const reason = alarmReason(alarm.detail);
  const frame = alarm.frame === undefined ? "" : ` · frame ${alarm.frame}`;
  const age = daemonNow === undefined ? undefined : Math.max(0, (daemonNow - Date.parse(alarm.at)) / 1000);
  return `${kindLabel(alarm.kind)} · ${alarm.subject}${reason ? ` · ${reason}` : ""}${frame}${age === undefined ? "" : ` · for ${formatAge(age)}`}`;
}

/** The daemon's wall clock now (ms), from `hello`: alarm ages do not depend on the page machine's clock. */
function daemonClock(model: PageModel, now: number): number | undefined {
  const hello = model.hello;
  return hello ? Date.parse(hello.message.now) + (now - hello.at) : undefined;
}
