import { byId, renderRows, setText, type Row } from "./dom.js";
import { formatAge, formatRate } from "./format.js";
import { BODY_STALE_S } from "./liveness.js";
import { PageModel } from "./PageModel.js";

/** OptiTrack per body: tracking state, age of the last sample, rate. */
export function renderBodies(model: PageModel, now: number): void {
  const health = model.health;
  const entries = health ? Object.entries(health.message) : [];
  setText(byId("bodies-empty"), entries.length === 0 ? "no data yet" : "");
  const rows: Row[] = entries
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([body, entry]) => {
      const age = PageModel.bodyAge(entry, health as NonNullable<typeof health>, now);
      const state = age > BODY_STALE_S ? "STALE" : entry.valid ? "TRACKED" : "LOST";
      return {
        key: body,
        className: state === "TRACKED" ? "ok" : "bad",
        // Rounded to 0.1 s: the row is rebuilt only when what it shows changes.
        cells: [body, state, formatAge(Math.round(age * 10) / 10), formatRate(entry.rateHz)],
      };
    });
  renderRows(byId<HTMLTableSectionElement>("bodies"), rows);
}
