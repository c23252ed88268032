import { byId, setText } from "./dom.js";
import { PageModel, PLOT_WINDOW_S } from "./PageModel.js";
import type { PlotCanvas } from "./PlotCanvas.js";
import type { SeriesBuffer } from "./SeriesBuffer.js";

export interface Plots {
  readonly speed: PlotCanvas;
  readonly intensity: PlotCanvas;
}

/** Both plots scroll with the daemon's series clock, extrapolated between its 10 Hz messages. */
export function renderPlots(model: PageModel, plots: Plots, now: number): void {
  const clock = model.seriesClock;
  // Between messages the right edge moves on, but never more than one missed batch ahead.
  const end = clock ? clock.message + Math.min(PageModel.ageOf(clock, now), 0.2) : 0;
  drawOne("speed", model.speed, plots.speed, end, 0.5, model.seriesVersion);
  drawOne("intensity", model.intensity, plots.intensity, end, 1, model.seriesVersion);
}

function drawOne(
  id: string,
  series: ReadonlyMap<string, SeriesBuffer>,
  plot: PlotCanvas,
  end: number,
  minTop: number,
  version: number,
): void {
  const empty = series.size === 0;
  setText(byId(`${id}-empty`), empty ? "no data yet" : "");
  legendColours(byId(`${id}-legend`), [...series.keys()], plot);
  plot.draw({ series, end, windowS: PLOT_WINDOW_S, minTop }, version);
}

/** One coloured swatch per series, rebuilt only when the set of series changes. */
function legendColours(legend: HTMLElement, names: readonly string[], plot: PlotCanvas): void {
  const signature = names.join("\u0000");
  if (legend.dataset.names === signature) return;
  legend.dataset.names = signature;
  legend.replaceChildren(
    ...names.map((name) => {
      const item = document.createElement("span");
      item.className = "legend-item";
      item.style.setProperty("--swatch", plot.colourOf(name));
      item.textContent = name;
      return item;
    }),
  );
}
