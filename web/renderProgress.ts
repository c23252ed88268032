import { byId, renderRows, setText, type Row } from "./dom.js";
import type { PageModel } from "./PageModel.js";

/** Post-session stages per episode: state and how far along. */
export function renderProgress(model: PageModel): void {
  const entries = [...model.progress.values()];
  setText(byId("progress-empty"), entries.length === 0 ? "no data yet" : "");
  const rows: Row[] = entries.map((p) => {
    const share = p.total
      ? ` ${Math.floor(((p.done ?? 0) / p.total) * 100)} % (${p.done ?? 0}/${p.total})`
      : "";
    const episode = p.episode === null ? "session" : `Episode ${p.episode}`;
    return {
      key: `${episode} ${p.stage}`,
      className: p.state === "failed" ? "bad" : p.state === "done" ? "ok" : "",
      cells: [episode, p.stage, `${p.state}${p.state === "running" ? share : ""}`, p.error ?? ""],
    };
  });
  renderRows(byId<HTMLTableSectionElement>("progress"), rows);
}
