import { byId, renderRows, setClass, setText, type Row } from "./dom.js";
import { formatAge, formatRate } from "./format.js";
import type { PageModel } from "./PageModel.js";

/** The recorder tap and its camera and GelSight streams: rate and staleness. */
export function renderStreams(model: PageModel): void {
  const streams = model.streams?.message;
  if (!streams) {
    setText(byId("tap"), "no data yet");
    setClass(byId("tap"), "nodata");
  } else {
    const { tap } = streams;
    const heard = tap.state === "waiting" ? "no message yet" : `last message ${formatAge(tap.ageS)} ago`;
    setText(byId("tap"), `Recorder tap: ${tap.state} · ${heard} · ${tap.dropped} dropped`);
    setClass(byId("tap"), tap.state === "connected" ? "ok" : tap.state === "silent" ? "bad" : "");
  }
  setText(
    byId("streams-empty"),
    streams && Object.keys(streams.streams).length === 0 ? "no streams yet" : "",
  );
  const rows: Row[] = Object.entries(streams?.streams ?? {}).map(([name, s]) => ({
    key: name,
    className: s.stale ? "bad" : "ok",
    cells: [
      name,
      s.stale ? "STALE" : "OK",
      formatRate(s.rateHz),
      formatRate(s.tickHz),
      formatAge(s.ageS),
      `${Math.round(s.dupFraction * 100)} %`,
      s.intensity === undefined ? "" : s.intensity.toFixed(2),
    ],
  }));
  renderRows(byId<HTMLTableSectionElement>("streams"), rows);
}
