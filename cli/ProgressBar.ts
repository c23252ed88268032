/** What a long command tells the CLI about its progress; the bar or nothing. */
export interface Progress {
  /** `done` of `total` units (e.g. "takes", "frames of 2026-05-31/episode_000"). */
  update(done: number, total: number, unit: string): void;
  /** Removes the bar for good (the command's last lines follow it). */
  stop(): void;
}

/** No bar: --json, not a terminal, or a command with nothing to count. */
export const NO_PROGRESS: Progress = { update: () => undefined, stop: () => undefined };

export interface ProgressBarOptions {
  /** Where the bar is drawn (a terminal). */
  readonly out: NodeJS.WriteStream;
  /** The stream the command prints its lines on: they are written above the bar, never through it. */
  readonly lines?: NodeJS.WriteStream;
  /** Seconds, monotonic (injected for tests). */
  readonly now?: () => number;
  /** Redraws at most this often (lines printed redraw at once). */
  readonly minRedrawS?: number;
}

const WIDTH = 24;

/**
 * A one-line progress bar with rate and time left, redrawn in place on a terminal:
 * `[##########..............] 12/30 takes  0.8/s  ETA 0:23`. Lines the command prints meanwhile
 * (its stdout, when that is the same terminal) clear the bar first and redraw it after, so results
 * and the bar never mix. The rate is over the current count since it started (a new unit restarts it).
 */
export class ProgressBar implements Progress {
  #done = 0;
  #total = 0;
  #unit = "";
  #started = 0;
  #drawn = "";
  #lastDraw = Number.NEGATIVE_INFINITY;
  #stopped = false;
  readonly #now: () => number;
  readonly #restore: (() => void) | undefined;

  /** A bar when `out` is a terminal and the command is not printing JSON; otherwise nothing is drawn. */
  static for(options: ProgressBarOptions & { readonly json: boolean }): Progress {
    return options.out.isTTY && !options.json ? new ProgressBar(options) : NO_PROGRESS;
  }

  constructor(private readonly options: ProgressBarOptions) {
    this.#now = options.now ?? (() => performance.now() / 1000);
    this.#started = this.#now();
    const lines = options.lines;
    if (lines?.isTTY) {
      // The command's own console.log calls stay as they are: its stdout goes around the bar.
      const original = lines.write;
      lines.write = ((...args: unknown[]) => {
        this.#clear();
        const result = (original as (...a: unknown[]) => boolean).apply(lines, args);
        this.#draw(true);
        return result;
      }) as typeof lines.write;
      this.#restore = () => {
        lines.write = original;
      };
    }
  }

  update(done: number, total: number, unit: string): void {
    if (this.#stopped) return;
    // A new count (the next take's frames) starts its own rate; the first runs from the bar's start.
    if ((unit !== this.#unit && this.#unit !== "") || done < this.#done) this.#started = this.#now();
    this.#unit = unit;
    this.#done = done;
    this.#total = total;
    this.#draw(done >= total);
  }

  stop(): void {
    if (this.#stopped) return;
    this.#clear();
    this.#stopped = true;
    this.#restore?.();
  }

  /** The bar's text for the current count (no terminal codes). */
  text(): string {
    const fraction = this.#total > 0 ? Math.min(1, this.#done / this.#total) : 0;
    const filled = Math.round(fraction * WIDTH);
    const elapsed = this.#now() - this.#started;
    const rate = elapsed > 0 ? this.#done / elapsed : 0;
    const left = rate > 0 ? (this.#total - this.#done) / rate : Number.NaN;
    return `[${"#".repeat(filled)}${".".repeat(WIDTH - filled)}] ${this.#done}/${this.#total} ${this.#unit}  ${formatRate(rate)}/s  ETA ${formatDuration(left)}`;
  }

  #draw(force: boolean): void {
    if (this.#stopped || this.#unit === "") return;
    const now = this.#now();
    if (!force && now - this.#lastDraw < (this.options.minRedrawS ?? 0.1)) return;
    this.#lastDraw = now;
    const columns = this.options.out.columns || 100;
    this.#drawn = this.text().slice(0, Math.max(10, columns - 1));
    this.options.out.write(`\r\x1b[2K${this.#drawn}`);
  }

  #clear(): void {
    if (this.#drawn === "") return;
    this.options.out.write("\r\x1b[2K");
    this.#drawn = "";
  }
}

function formatRate(rate: number): string {
  return rate >= 100 ? rate.toFixed(0) : rate >= 10 ? rate.toFixed(1) : rate.toFixed(2);
}

/** m:ss (h:mm:ss past an hour); "--:--" while unknown. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "--:--";
  const s = Math.round(seconds);
  const [h, m, r] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  const pad = (n: number) => String(n).padStart(2, "0");
  return h > 0 ? `${h}:${pad(m)}:${pad(r)}` : `${m}:${pad(r)}`;
}
