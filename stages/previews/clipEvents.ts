import type { Config } from "../../config/index.js";
import { FrameClock } from "../../detectors/frameClock.js";
import { type Interval, mergeIntervals } from "../../detectors/intervals.js";
import { SENSOR_BODY, type Side, TACTILE_SIDES } from "../../detectors/samples.js";
import { spikeIntervals, spikeThreshold } from "../../detectors/spike.js";
import type { EpisodeAnalysis } from "../detect/analyseEpisode.js";

export type ClipKind = "freeze" | "spike" | "teleport";

/** A borderline event a person should look at (spec §6), in H5 frames. */
export interface ClipEvent {
  /** `<date>/episode_NNN:<kind>:<side>:<a>-<b>` (H5 frames): what `rigwatch verdict` takes. */
  readonly id: string;
  readonly kind: ClipKind;
  readonly side: Side;
  readonly h5: Interval;
  /** Why it is borderline, for the clip's info tile and the listing. */
  readonly reason: string;
}

export function clipEventId(key: string, kind: ClipKind, side: Side, [a, b]: Interval): string {
  return `${key}:${kind}:${side}:${a}-${b}`;
}

/** The clip's file name: the id without the session, safe on every filesystem. */
export function clipFileName(event: ClipEvent): string {
  const episode = event.id.split("/")[1]?.split(":")[0] ?? "episode";
  return `${episode}.${event.kind}.${event.side}.${event.h5[0]}-${event.h5[1]}.gif`;
}

/**
 * The episode's borderline events (spec §6): freezes of 1–5 s (whatever their verdict: that is the
 * call a person makes), spikes whose peak clears the episode's threshold by less than the weak margin,
 * and teleports confined to one camera frame on an active side (a solver flip or a real fast move?).
 */
export function clipEvents(
  analysis: EpisodeAnalysis,
  timestamps: Float64Array,
  detect: Config["detect"],
  clips: Config["previews"]["clips"],
): ClipEvent[] {
  const { result } = analysis;
  const from = result.trimOffset;
  const events: ClipEvent[] = [];
  for (const f of result.freezes) {
    if (f.length_s < clips.freezeMinS || f.length_s > clips.freezeMaxS) continue;
    events.push(
      event(
        result.key,
        "freeze",
        f.side,
        [f.h5_a, f.h5_b],
        `freeze ${f.length_s.toFixed(2)} s, ${f.verdict}`,
      ),
    );
  }
  for (const side of TACTILE_SIDES) {
    const intensity = analysis.gel[side].intensity;
    if (intensity.length === 0) continue;
    const threshold = spikeThreshold(intensity, detect.spike);
    for (const [a, b] of spikeIntervals(intensity, detect.spike)) {
      const peak = Math.max(...intensity.subarray(a, b + 1));
      if (peak - threshold > clips.weakSpikeMargin) continue;
      const reason = `weak spike: peak ${peak.toFixed(1)}, threshold ${threshold.toFixed(1)}`;
      events.push(event(result.key, "spike", side, [a + from, b + from], reason));
    }
  }
  const clock = new FrameClock(timestamps);
  for (const side of result.activeSensors) {
    const ot = analysis.ot[SENSOR_BODY[side]];
    const frames = (ot?.teleports ?? [])
      .map((e): Interval => {
        const k = Math.min(clock.frameOwning(e.tB), clock.frameCount - 1);
        return [k, k];
      })
      .filter(([k]) => k >= from);
    for (const [a, b] of mergeIntervals(frames)) {
      if (a !== b) continue;
      events.push(event(result.key, "teleport", side, [a, b], "teleport on a single frame"));
    }
  }
  return events.sort((x, y) => x.h5[0] - y.h5[0] || (x.id < y.id ? -1 : 1));
}

function event(key: string, kind: ClipKind, side: Side, h5: Interval, reason: string): ClipEvent {
  return { id: clipEventId(key, kind, side, h5), kind, side, h5, reason };
}
