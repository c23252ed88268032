import type { StageProgress } from "../stages/scheduler/StageProgress.js";
import type { Progress } from "./ProgressBar.js";

/**
 * The CLI's view of stage progress: on a terminal the progress bar over every episode × stage (with
 * rate and time left); otherwise one line per finished, failed or paused stage.
 */
export class ProgressLine {
  private finished = 0;

  constructor(
    private readonly total: number,
    private readonly bar: Progress,
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {}

  update(p: StageProgress): void {
    if (p.state === "done" || p.state === "skipped" || p.state === "failed") this.finished++;
    if (this.out.isTTY) this.bar.update(this.finished, Math.max(this.total, this.finished), "stages");
    else if (p.state !== "queued" && p.state !== "running") {
      const episode = p.episode === null ? "session" : `episode ${p.episode}`;
      this.out.write(
        `${p.state.padEnd(8)} ${p.stage.padEnd(8)} ${episode}${p.error ? `: ${p.error}` : ""}\n`,
      );
    }
  }
}
