import { afterAll, describe, expect, it } from "vitest";
import {
  readSessionFacts,
  type SessionFacts,
  sessionKind,
  sessionNote,
  sessionTarget,
} from "../../stages/metadata/index.js";
import { tempDir } from "../helpers/paths.js";
import { episodeResult, sessionFolder, writeReports } from "./sessionFixture.js";

const dir = tempDir("rigwatch-note-");
afterAll(dir.cleanup);

/**
 * A session with every event the note reports, its numbers chosen so the text can be worked out by
 * hand; the reports are written by detect's own writers and read back as the stage reads them.
 */
function knownSession(): SessionFacts {
  const root = dir.path;
  const dateDir = sessionFolder(root, "motherboard", "2026-05-31", [
    "episode_000.h5",
    "episode_001.h5",
    "episode_002.h5",
    "episode_003.h5",
    "episode_004.h5.corrupt",
    "episode_005.h5",
    "episode_000.truth.json",
  ]);
  writeReports(
    root,
    [
      // Another session's episode in the same reports: not this session's.
      episodeResult("2026-05-30/episode_000", { lists: { intensity_spikes: [[0, 6]] } }),
      // 900 frames (30 s): flicker 7 + 7, a left teleport 7, right OT loss 60 → 81 bad, no overlap.
      episodeResult("2026-05-31/episode_000", {
        nFrames: 900,
        lists: {
          intensity_spikes: [
            [10, 16],
            [400, 406],
          ],
          pose_teleports_L: [[100, 106]],
          ot_loss_R: [[200, 259]],
        },
      }),
      // 600 frames after a 90-frame trim: OT loss [0,29] ∪ [10,39] = 40 frames, a 16-frame stall; drift.
      episodeResult("2026-05-31/episode_001", {
        nFrames: 600,
        trimOffset: 90,
        trimReason: "ot_uninitialised",
        lists: { ot_loss_L: [[0, 29]], ot_loss_R: [[10, 39]], pipeline_stall: [[300, 315]] },
        drift: { left: 7.26, right: 2 },
        driftWarning: true,
      }),
      episodeResult("2026-05-31/episode_002", { nFrames: 450, activeSensors: ["left"] }),
      // OT never steady: the whole take is trimmed.
      episodeResult("2026-05-31/episode_005", { nFrames: 0, trimOffset: 300, trimReason: "no_steady_ot" }),
    ],
    [{ key: "2026-05-31/episode_003", integrity: "bad_timestamps" }],
  );
  return readSessionFacts(sessionTarget(dateDir) as NonNullable<ReturnType<typeof sessionTarget>>);
}

describe("the generated session note", () => {
  it("summarises a known session exactly: frames, flags per mode, trims, drift, unreadable and quarantined files", () => {
    expect(sessionNote(knownSession())).toBe(
      "4 episodes, 1,950 frames after trim (1.1 min). " +
        "137 frames flagged (7.026 %) in 2 episodes: LED flicker 14 frames in 1 episode; " +
        "pose teleports 7 frames in 1 episode; OT loss 100 frames in 2 episodes; pipeline stall 16 frames in 1 episode. " +
        "OT-uninitialised prefixes trimmed: episode_001 90 frames (3.0 s), episode_005 all 300 frames (OT never steady). " +
        "Gel drift warning: episode_001 (left 7.3). " +
        "Unreadable, left out of the reports: episode_003 (bad_timestamps). " +
        "Quarantined as corrupt: episode_004.",
    );
  });

  it("reads only this session's episodes from the reports, with their active sensors", () => {
    const facts = knownSession();
    expect(facts.episodes.map((e) => [e.name, e.nFrames, e.trimOffset, e.activeSensors])).toEqual([
      ["episode_000", 900, 0, ["left", "right"]],
      ["episode_001", 600, 90, ["left", "right"]],
      ["episode_002", 450, 0, ["left"]],
      ["episode_005", 0, 300, ["left", "right"]],
    ]);
    expect([facts.unreadable, facts.quarantined]).toEqual([
      [{ name: "episode_003", integrity: "bad_timestamps" }],
      ["episode_004"],
    ]);
  });

  it("is deterministic: the same facts give the same text", () => {
    expect(sessionNote(knownSession())).toBe(sessionNote(knownSession()));
  });

  it("says so when nothing was flagged, and when nothing could be read", () => {
    const clean: SessionFacts = {
      task: "t",
      date: "d",
      episodes: [
        {
          name: "episode_000",
          nFrames: 1800,
          durationS: 60,
          trimOffset: 0,
          lists: {
            intensity_spikes: [],
            pose_teleports_L: [],
            pose_teleports_R: [],
            ot_loss_L: [],
            ot_loss_R: [],
            pipeline_stall: [],
          },
          totalBadFrames: 0,
          activeSensors: ["right"],
          drift: { left: null, right: 0.5 },
          driftWarning: false,
        },
      ],
      unreadable: [],
      quarantined: [],
    };
    expect(sessionNote(clean)).toBe("1 episode, 1,800 frames after trim (1.0 min). No frames flagged.");
    expect(
      sessionNote({
        ...clean,
        episodes: [],
        unreadable: [{ name: "episode_000", integrity: "missing_filter" }],
      }),
    ).toBe("No readable episodes. Unreadable, left out of the reports: episode_000 (missing_filter).");
  });

  it("derives kind from the active sensors", () => {
    expect([
      sessionKind(["left", "right"]),
      sessionKind(["left"]),
      sessionKind(["right"]),
      sessionKind([]),
    ]).toEqual(["bimanual", "left_hand", "right_hand", "none"]);
  });
});
