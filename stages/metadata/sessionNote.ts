import { frameCount } from "../../detectors/intervals.js";
import { MODES } from "../../sinks/reports/index.js";
import { counted, fixed } from "./formatCounts.js";
import type { EpisodeFacts, SessionFacts } from "./SessionFacts.js";

/** How the note names each failure mode of data_quality_breakdown.json. */
const MODE_LABELS: Readonly<Record<string, string>> = {
  gelsight_led_flicker: "LED flicker",
  pose_teleport: "pose teleports",
  ot_loss: "OT loss",
  pipeline_stall: "pipeline stall",
};

/**
 * The generated `note` of a session: one paragraph, in a fixed order — episodes and post-trim frames
 * and minutes; frames flagged (%), then per failure mode the frames (union of its lists) and the
 * episodes affected; trimmed OT-uninitialised prefixes with seconds; gel drift warnings; unreadable
 * and quarantined files. Numbers are formatted by hand, so the same facts give the same bytes anywhere.
 */
export function sessionNote(facts: SessionFacts): string {
  const { episodes } = facts;
  const sentences: string[] = [];
  const frames = sum(episodes.map((e) => e.nFrames));
  if (episodes.length === 0) sentences.push("No readable episodes.");
  else {
    const minutes = sum(episodes.map((e) => e.durationS)) / 60;
    sentences.push(
      `${counted(episodes.length, "episode")}, ${counted(frames, "frame")} after trim (${fixed(minutes, 1)} min).`,
    );
    sentences.push(flaggedSentence(episodes, frames));
  }
  const trimmed = episodes.filter((e) => e.trimOffset > 0);
  if (trimmed.length > 0) {
    const fps = sessionFps(episodes);
    const trims = trimmed.map((e) =>
      e.nFrames === 0
        ? `${e.name} all ${counted(e.trimOffset, "frame")} (OT never steady)`
        : `${e.name} ${counted(e.trimOffset, "frame")}${fps === undefined ? "" : ` (${fixed(e.trimOffset / fps, 1)} s)`}`,
    );
    sentences.push(
      `OT-uninitialised ${trimmed.length === 1 ? "prefix" : "prefixes"} trimmed: ${trims.join(", ")}.`,
    );
  }
  const drifted = episodes.filter((e) => e.driftWarning);
  if (drifted.length > 0)
    sentences.push(
      `Gel drift ${drifted.length === 1 ? "warning" : "warnings"}: ${drifted.map(driftText).join(", ")}.`,
    );
  if (facts.unreadable.length > 0)
    sentences.push(
      `Unreadable, left out of the reports: ${facts.unreadable.map((u) => `${u.name} (${u.integrity})`).join(", ")}.`,
    );
  if (facts.quarantined.length > 0)
    sentences.push(`Quarantined as corrupt: ${facts.quarantined.join(", ")}.`);
  return sentences.join(" ");
}

function flaggedSentence(episodes: readonly EpisodeFacts[], frames: number): string {
  const bad = sum(episodes.map((e) => e.totalBadFrames));
  if (bad === 0) return "No frames flagged.";
  const withBad = episodes.filter((e) => e.totalBadFrames > 0).length;
  const modes: string[] = [];
  for (const [mode, lists] of Object.entries(MODES)) {
    const perEpisode = episodes.map((e) => frameCount(lists.flatMap((list) => e.lists[list])));
    const modeFrames = sum(perEpisode);
    if (modeFrames === 0) continue;
    const affected = perEpisode.filter((n) => n > 0).length;
    modes.push(
      `${MODE_LABELS[mode] ?? mode} ${counted(modeFrames, "frame")} in ${counted(affected, "episode")}`,
    );
  }
  const pct = frames > 0 ? ` (${fixed((100 * bad) / frames, 3)} %)` : "";
  return `${counted(bad, "frame")} flagged${pct} in ${counted(withBad, "episode")}: ${modes.join("; ")}.`;
}

/**
 * The camera rate, from an episode's post-trim frames and duration. Both are in bad_frames.json and the
 * rate is an integer (the H5's `fps`), so rounding undoes the duration's 3-decimal rounding.
 */
function sessionFps(episodes: readonly EpisodeFacts[]): number | undefined {
  const e = episodes.find((x) => x.nFrames > 0 && x.durationS > 0);
  return e === undefined ? undefined : Math.round(e.nFrames / e.durationS);
}

/** An episode with its larger gel drift: "episode_002 (left 7.2)". */
function driftText(e: EpisodeFacts): string {
  const sides = (["left", "right"] as const).filter((s) => e.drift[s] !== null);
  const worst = sides.reduce<"left" | "right" | undefined>(
    (w, s) => (w === undefined || (e.drift[s] as number) > (e.drift[w] as number) ? s : w),
    undefined,
  );
  return worst === undefined ? e.name : `${e.name} (${worst} ${fixed(e.drift[worst] as number, 1)})`;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
