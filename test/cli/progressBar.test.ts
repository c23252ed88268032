import { describe, expect, it } from "vitest";
import { formatDuration, NO_PROGRESS, ProgressBar } from "../../cli/ProgressBar.js";

/** A stream that says it is (or is not) a terminal and keeps what is written to it. */
function stream(isTTY: boolean, columns = 120) {
  const written: string[] = [];
  const s = {
    isTTY,
    columns,
    write(chunk: string) {
      written.push(String(chunk));
      return true;
    },
  };
  return { stream: s as unknown as NodeJS.WriteStream, written };
}

describe("ProgressBar", () => {
  it("draws done/total, the rate and the time left from the injected clock", () => {
    let now = 100;
    const err = stream(true);
    const bar = new ProgressBar({ out: err.stream, now: () => now, minRedrawS: 0 });
    now = 104;
    bar.update(2, 10, "takes");
    expect(bar.text()).toBe("[#####...................] 2/10 takes  0.50/s  ETA 0:16");
    expect(err.written.at(-1)).toBe("\r\x1b[2K[#####...................] 2/10 takes  0.50/s  ETA 0:16");
    now = 124;
    bar.update(10, 10, "takes");
    expect(bar.text()).toBe("[########################] 10/10 takes  0.42/s  ETA 0:00");
    // The next take's frames: a new count, its own rate from now on.
    bar.update(0, 300, "frames of 2026-05-31/episode_001");
    now = 126;
    bar.update(60, 300, "frames of 2026-05-31/episode_001");
    expect(bar.text()).toBe(
      "[#####...................] 60/300 frames of 2026-05-31/episode_001  30.0/s  ETA 0:08",
    );
    bar.stop();
    expect(err.written.at(-1)).toBe("\r\x1b[2K");
  });

  it("moves the command's lines above the bar and gives stdout back when stopped", () => {
    const now = 0;
    const err = stream(true);
    const out = stream(true);
    const original = out.stream.write;
    const bar = new ProgressBar({ out: err.stream, lines: out.stream, now: () => now, minRedrawS: 0 });
    bar.update(1, 4, "files");
    const before = err.written.length;
    out.stream.write("compressed  episode_000.h5\n");
    expect(out.written).toEqual(["compressed  episode_000.h5\n"]);
    // Cleared before the line, drawn again after it.
    expect(err.written.slice(before)).toEqual(["\r\x1b[2K", `\r\x1b[2K${bar.text()}`]);
    bar.stop();
    expect(out.stream.write).toBe(original);
  });

  it("stays quiet off a terminal and with --json", () => {
    const err = stream(false);
    expect(ProgressBar.for({ out: err.stream, json: false })).toBe(NO_PROGRESS);
    expect(ProgressBar.for({ out: stream(true).stream, json: true })).toBe(NO_PROGRESS);
    expect(ProgressBar.for({ out: stream(true).stream, json: false })).toBeInstanceOf(ProgressBar);
  });

  it("formats time left as m:ss, h:mm:ss, or --:-- while unknown", () => {
    expect([
      formatDuration(0),
      formatDuration(75.4),
      formatDuration(3725),
      formatDuration(Number.NaN),
    ]).toEqual(["0:00", "1:15", "1:02:05", "--:--"]);
  });
});
