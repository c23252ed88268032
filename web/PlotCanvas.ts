import type { SeriesBuffer } from "./SeriesBuffer.js";

/** High-contrast line colours on black, in the order series are first seen. */
const COLOURS = ["#00e5ff", "#ff4dff", "#ffe600", "#7CFC00", "#ff8c1a", "#ffffff"];
/** Points further apart than this are not joined: a gap in the data shows as a gap. */
const GAP_S = 0.3;

export interface PlotFrame {
  readonly series: ReadonlyMap<string, SeriesBuffer>;
  /** Right edge of the plot, seconds on the series' clock. */
  readonly end: number;
  readonly windowS: number;
  /** Smallest top of the y axis, so noise around zero does not fill the plot. */
  readonly minTop: number;
}

/**
 * A canvas showing several series over the last `windowS` seconds. Redrawn whole on each display
 * frame: a few thousand segments cost well under a millisecond.
 */
export class PlotCanvas {
  readonly #context: CanvasRenderingContext2D;
  readonly #colours = new Map<string, string>();
  /** What the canvas shows now: an unchanged frame is not drawn again. */
  #drawn = "";

  constructor(private readonly canvas: HTMLCanvasElement) {
    const context = canvas.getContext("2d");
    if (!context) throw new Error("operator page: no 2D canvas");
    this.#context = context;
  }

  /** The colour a series is drawn in (the legend uses the same). */
  colourOf(name: string): string {
    let colour = this.#colours.get(name);
    if (!colour) this.#colours.set(name, (colour = COLOURS[this.#colours.size % COLOURS.length] as string));
    return colour;
  }

  /** `version` changes whenever a series gets points; with it and the scroll position unchanged, nothing is drawn. */
  draw(frame: PlotFrame, version: number): void {
    const { canvas } = this;
    const ratio = window.devicePixelRatio || 1;
    const width = Math.round(canvas.clientWidth * ratio);
    const height = Math.round(canvas.clientHeight * ratio);
    // Software-rendered canvases cost CPU the alarm path needs: redraw only when a pixel would move.
    const scrollPx = Math.round((frame.end / frame.windowS) * width);
    const state = `${width}x${height}:${version}:${scrollPx}`;
    if (state === this.#drawn) return;
    this.#drawn = state;
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width;
      canvas.height = height;
    }
    const g = this.#context;
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    const w = canvas.clientWidth;
    const h = canvas.clientHeight;
    g.clearRect(0, 0, w, h);
    const left = 64;
    const right = 8;
    const top = 10;
    const bottom = 28;
    const plotW = Math.max(1, w - left - right);
    const plotH = Math.max(1, h - top - bottom);
    const start = frame.end - frame.windowS;

    let max = frame.minTop;
    for (const buffer of frame.series.values()) max = Math.max(max, buffer.maxSince(start));
    const yTop = niceCeiling(max);
    const x = (t: number) => left + ((t - start) / frame.windowS) * plotW;
    const y = (v: number) => top + plotH - (Math.max(0, Math.min(v, yTop)) / yTop) * plotH;

    g.font = "16px system-ui, sans-serif";
    g.lineWidth = 1;
    g.strokeStyle = "#555";
    g.fillStyle = "#ddd";
    g.textBaseline = "middle";
    g.textAlign = "right";
    for (let i = 0; i <= 5; i++) {
      const v = (yTop * i) / 5;
      g.beginPath();
      g.moveTo(left, y(v));
      g.lineTo(left + plotW, y(v));
      g.stroke();
      g.fillText(formatTick(v), left - 6, y(v));
    }
    g.textBaseline = "top";
    for (let s = 0; s <= frame.windowS; s += 5) {
      g.textAlign = s === 0 ? "right" : "center";
      g.fillText(s === 0 ? "now" : `−${s} s`, x(frame.end - s), top + plotH + 6);
    }

    g.lineWidth = 2.5;
    g.lineJoin = "round";
    for (const [name, buffer] of frame.series) {
      const colour = this.colourOf(name);
      g.strokeStyle = colour;
      g.fillStyle = colour;
      g.beginPath();
      let previous = -Infinity;
      let lonely: [number, number] | undefined;
      buffer.forEach((t, v) => {
        if (t < start - GAP_S) return;
        if (t - previous > GAP_S) {
          // A point with no neighbour draws no segment: mark it, or sparse data would be invisible.
          if (lonely) g.fillRect(lonely[0] - 2, lonely[1] - 2, 4, 4);
          lonely = [x(t), y(v)];
          g.moveTo(x(t), y(v));
        } else {
          lonely = undefined;
          g.lineTo(x(t), y(v));
        }
        previous = t;
      });
      if (lonely) g.fillRect(lonely[0] - 2, lonely[1] - 2, 4, 4);
      g.stroke();
    }
  }
}

/** 1, 2 or 5 times a power of ten, at or above `value`. */
function niceCeiling(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

function formatTick(value: number): string {
  return String(Number(value.toPrecision(3)));
}
