import { describe, expect, it } from "vitest";
import { ProgressBoard } from "../../daemon/ProgressBoard.js";
import type { ProgressMessage } from "../../daemon/hubMessages.js";

const progress = (
  episode: number | null,
  stage: string,
  state: ProgressMessage["state"],
): ProgressMessage => ({
  type: "progress",
  episode,
  stage,
  state,
});

describe("ProgressBoard: the stage progress a page that connects late is sent", () => {
  it("keeps the latest state of each episode's stages, in the order they last changed", () => {
    const board = new ProgressBoard();
    board.apply(progress(0, "check", "running"));
    board.apply(progress(0, "compress", "queued"));
    board.apply(progress(0, "check", "done"));
    board.apply(progress(null, "detect", "skipped"));
    expect(board.snapshot()).toEqual([
      progress(0, "compress", "queued"),
      progress(0, "check", "done"),
      progress(null, "detect", "skipped"),
    ]);
  });

  it("forgets the episodes that changed longest ago beyond the last 50", () => {
    const board = new ProgressBoard();
    for (let i = 0; i < 52; i++) {
      board.apply(progress(i, "check", "done"));
      board.apply(progress(i, "compress", "done"));
    }
    board.apply(progress(0, "index", "failed")); // a late change keeps an old episode
    const episodes = [...new Set(board.snapshot().map((m) => m.episode))];
    expect(episodes).toHaveLength(50);
    expect(episodes.slice(0, 2)).toEqual([3, 4]);
    expect(episodes.at(-1)).toBe(0);
    expect(board.snapshot().filter((m) => m.episode === 0)).toEqual([progress(0, "index", "failed")]);
  });
});
