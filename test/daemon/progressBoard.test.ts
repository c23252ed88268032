import { describe, expect, it } from "vitest";
import { ProgressBoard } from "../../daemon/ProgressBoard.js";
import type { ProgressMessage } from "../../sinks/hubMessages.js";

const progress = (episode: string, stage: string, state: ProgressMessage["state"]): ProgressMessage => ({
  type: "progress",
  episode,
  stage,
  state,
});

describe("ProgressBoard: the stage progress a page that connects late is sent", () => {
  it("keeps the latest state of each episode's stages, in the order they last changed", () => {
    const board = new ProgressBoard();
    board.apply(progress("episode_000", "check", "running"));
    board.apply(progress("episode_000", "compress", "queued"));
    board.apply(progress("episode_000", "check", "done"));
    board.apply(progress("session", "detect", "skipped"));
    expect(board.snapshot()).toEqual([
      progress("episode_000", "compress", "queued"),
      progress("episode_000", "check", "done"),
      progress("session", "detect", "skipped"),
    ]);
  });

  it("forgets the episodes that changed longest ago beyond the last 50", () => {
    const board = new ProgressBoard();
    for (let i = 0; i < 52; i++) {
      board.apply(progress(`episode_${String(i).padStart(3, "0")}`, "check", "done"));
      board.apply(progress(`episode_${String(i).padStart(3, "0")}`, "compress", "done"));
    }
    board.apply(progress("episode_000", "index", "failed")); // a late change keeps an old episode
    const episodes = [...new Set(board.snapshot().map((m) => m.episode))];
    expect(episodes).toHaveLength(50);
    expect(episodes.slice(0, 2)).toEqual(["episode_003", "episode_004"]);
    expect(episodes.at(-1)).toBe("episode_000");
    expect(board.snapshot().filter((m) => m.episode === "episode_000")).toEqual([
      progress("episode_000", "index", "failed"),
    ]);
  });
});
