import { byId, setClass, setText } from "./dom.js";
import type { Liveness } from "./liveness.js";
import type { PageModel } from "./PageModel.js";

/** The top line: LIVE, or NOT LIVE and why, in words; the whole page greys out when not live. */
export function renderStatus(model: PageModel, live: Liveness): void {
  const status = byId("status");
  setText(byId("status-word"), live.live ? "LIVE" : "NOT LIVE");
  const version = model.hello ? `rigwatch ${model.hello.message.version}` : "rigwatch";
  setText(byId("status-detail"), live.live ? version : live.reasons.join(" · "));
  setClass(status, live.live ? "live" : "not-live");
  // Grey out everything only when the daemon itself is gone: otherwise most panels are still current.
  setClass(document.body, live.daemonLive ? "" : "page-not-live");
  const critical = model.alarms.activeCritical()[0]?.raised;
  const title = critical
    ? `⚠ ${critical.kind} ${critical.subject} — rigwatch`
    : live.live
      ? "rigwatch"
      : "NOT LIVE — rigwatch";
  if (document.title !== title) document.title = title;
}
