import { cameraTimestamps, FrameOwner, lowerBound, sampleClock } from "./clock.js";
import { ContactSchedule } from "./contact.js";
import type { Body, Side } from "./layout.js";
import { Motion, type Rest } from "./motion.js";
import { heldSamples, type OtPlan, otClock, planOt } from "./ot.js";
import { rngFor, STREAM } from "./prng.js";
import { resolveScenario } from "./resolveScenario.js";
import type { ResolvedScenario, Scenario } from "./scenario.js";
import { buildTruth, type Truth } from "./truth.js";
import { ScenarioError } from "./validate.js";

/**
 * Everything about an episode except its pixels: clocks, true motion, OT streams with faults, contact
 * schedules and the truth. Small (OT is ~20 kB per second), so tests can inspect it without writing files.
 */
export interface EpisodePlan {
  readonly scenario: ResolvedScenario;
  readonly epochS: number;
  /** Camera tick times [T]. */
  readonly ts: Float64Array;
  readonly motion: Motion;
  readonly ot: OtPlan;
  readonly contacts: Record<Side, ContactSchedule>;
  /** GelSight frame times per side. */
  readonly gelClocks: Record<Side, Float64Array>;
  /** Truth for an episode file of this name (the truth's `path`). */
  truth(fileName: string): Truth;
}

export function planEpisode(input: Scenario | ResolvedScenario): EpisodePlan {
  const s = "prefixFrames" in input ? input : resolveScenario(input);
  const epochS = Date.parse(`${s.createdAt}Z`) / 1000;
  const ts = cameraTimestamps(s.seed, s.ticks, s.fps, epochS);
  const grid = otClock(s, ts, epochS);
  const owner = new FrameOwner(ts);
  const gelClock = (i: number) =>
    sampleClock(
      rngFor(s.seed, STREAM.gelClock, i),
      epochS - 0.05,
      (ts[s.ticks - 1] as number) + 0.05,
      s.gelHz,
      0.1,
    );
  const gelClocks = { left: gelClock(0), right: gelClock(1) };
  // A rest stops the listed bodies from the held OT sample (or the gel frame shown at tick start-1, if
  // older, so the gels too stay bitwise still over the rest) until the last tick of the rest.
  const rests: Rest[] = s.faults.flatMap((f) => {
    if (f.type !== "real_still") return [];
    const [first] = heldSamples(grid, owner, f.start, f.end);
    const shownGel = (c: Float64Array) =>
      c[Math.max(0, lowerBound(c, ts[f.start - 1] as number, true) - 1)] as number;
    const t0 = Math.min(grid[first - 1] as number, shownGel(gelClocks.left), shownGel(gelClocks.right));
    const bodies = new Set<Body>(f.bodies ?? ["sensor_left", "sensor_right"]);
    return [{ bodies, t0, t1: ts[f.end] as number }];
  });
  const motion = new Motion(s.seed, s.activeSides, epochS, rests, s.motionSpeed);
  const ot = planOt(s, ts, grid, motion);
  checkReacquisitionJumps(s, ot);
  const durationS = (ts[s.ticks - 1] as number) - epochS;
  const contacts = {
    left: new ContactSchedule(s.seed, "left", s.activeSides.includes("left"), durationS, s.contacts),
    right: new ContactSchedule(s.seed, "right", s.activeSides.includes("right"), durationS, s.contacts),
  };
  return {
    scenario: s,
    epochS,
    ts,
    motion,
    ot,
    contacts,
    gelClocks,
    truth: (fileName) => buildTruth(s, fileName, ts, ot),
  };
}

/** Raw-sample speeds that must be exceeded by 1.2× for the jump to be unmistakable (spec §3: 5 m/s, 15 rad/s). */
const JUMP_MARGIN = 1.2;

/**
 * An OT-loss hold on an active body is diagnosed by the jump when tracking resumes (the synthetic scenes
 * move too few pixels for the camera-motion rule), so the body must have moved enough during the hold.
 */
function checkReacquisitionJumps(s: ResolvedScenario, ot: OtPlan): void {
  const active = new Set<string>(s.activeSides.map((side) => `sensor_${side}`));
  for (const e of ot.evidence) {
    if (e.kind !== "held" || e.still || !active.has(e.body)) continue;
    const stream = ot.streams[e.body];
    const t0 = ot.grid[e.last] as number;
    const i = stream.times.indexOf(t0);
    if (i < 0 || i + 1 >= stream.times.length)
      throw new ScenarioError(`${JSON.stringify(e.fault)}: no sample after the hold`);
    const p = stream.poses;
    const dt = (stream.times[i + 1] as number) - t0;
    const dist = Math.hypot(
      (p[i * 7 + 7] as number) - (p[i * 7] as number),
      (p[i * 7 + 8] as number) - (p[i * 7 + 1] as number),
      (p[i * 7 + 9] as number) - (p[i * 7 + 2] as number),
    );
    let dot = 0;
    for (let c = 3; c < 7; c++) dot += (p[i * 7 + c] as number) * (p[i * 7 + 7 + c] as number);
    const angle = 2 * Math.acos(Math.min(1, Math.abs(dot)));
    if (dist / dt < 5 * JUMP_MARGIN && angle / dt < 15 * JUMP_MARGIN) {
      throw new ScenarioError(
        `${JSON.stringify(e.fault)}: the body moved only ${(dist * 100).toFixed(1)} cm / ${angle.toFixed(2)} rad during the hold; ` +
          "make it longer or move it so the re-acquisition jump exceeds the teleport speed",
      );
    }
  }
}
