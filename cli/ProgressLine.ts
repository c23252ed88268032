import type { StageProgress } from "../stages/scheduler/StageProgress.js";

/**
 * The CLI's view of stage progress: on a terminal one line redrawn in place (a bar over every
 * episode × stage, and what runs now); otherwise one line per finished, failed or paused stage.
 */
export class ProgressLine {
  private finished = 0;
  private readonly running = new Map<string, string>();

  constructor(
    private readonly total: number,
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {}

  update(p: StageProgress): void {
    const episode = p.episode === null ? "session" : `episode ${p.episode}`;
    const key = `${episode}/${p.stage}`;
    if (p.state === "running" || p.state === "paused")
      this.running.set(
        key,
        `${p.stage} ${episode}${p.state === "paused" ? " (paused: take recording)" : ""}`,
      );
    if (p.state === "done" || p.state === "skipped" || p.state === "failed") {
      this.running.delete(key);
      this.finished++;
    }
    if (this.out.isTTY) {
      const width = 30;
      const filled = Math.round((width * this.finished) / Math.max(1, this.total));
      const now = [...this.running.values()].join(", ");
      this.out.write(
        `\r\x1b[2K[${"#".repeat(filled)}${".".repeat(width - filled)}] ${this.finished}/${this.total} ${now}`.slice(
          0,
          (this.out.columns ?? 120) + 8,
        ),
      );
    } else if (p.state !== "queued" && p.state !== "running") {
      this.out.write(
        `${p.state.padEnd(8)} ${p.stage.padEnd(8)} ${episode}${p.error ? `: ${p.error}` : ""}\n`,
      );
    }
  }

  end(): void {
    if (this.out.isTTY) this.out.write("\n");
  }
}
