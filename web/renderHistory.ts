import type { AlarmEntry } from "./AlarmLog.js";
import { byId, renderRows, setText, type Row } from "./dom.js";
import { formatClock, kindLabel, verdictLabel } from "./format.js";
import type { PageModel } from "./PageModel.js";

/** How many history rows the page shows (the log keeps more). */
const SHOWN = 100;

/** Every alarm, newest first: when, what, on which subject, at which camera frame, and how it ended. */
export function renderHistory(model: PageModel): void {
  const history = model.alarms.history;
  setText(byId("history-empty"), history.length === 0 ? "no alarms yet" : "");
  renderRows(byId<HTMLTableSectionElement>("history"), history.slice(0, SHOWN).map(historyRow));
}

function historyRow(entry: AlarmEntry): Row {
  const alarm = (entry.raised ?? entry.cleared) as NonNullable<AlarmEntry["raised"]>;
  const frame = entry.raised?.frame ?? entry.cleared?.frame;
  return {
    key: entry.id,
    className: `${alarm.severity}${entry.cleared || entry.clearedUnseen ? " cleared" : " raised"}`,
    cells: [
      formatClock(alarm.at),
      alarm.severity,
      kindLabel(alarm.kind),
      alarm.subject,
      frame === undefined ? "—" : String(frame),
      status(entry),
    ],
  };
}

function status(entry: AlarmEntry): string {
  if (entry.clearedUnseen) return "cleared while not live";
  if (!entry.cleared) return entry.acknowledged ? "RAISED (acknowledged)" : "RAISED";
  if (!entry.raised) return `cleared ${formatClock(entry.cleared.at)}`;
  const seconds = (Date.parse(entry.cleared.at) - Date.parse(entry.raised.at)) / 1000;
  // A held pose ends with the freeze diagnosis' verdict: a rest, or the OT loss it turned into.
  const verdict = entry.cleared.detail.verdict;
  if (verdict === "ot_loss") return `became OT LOSS after ${seconds.toFixed(1)} s`;
  if (verdict !== undefined) return `cleared after ${seconds.toFixed(1)} s: ${verdictLabel(verdict)}`;
  return `cleared after ${seconds.toFixed(1)} s`;
}
