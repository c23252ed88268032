import { from, lastValueFrom, toArray } from "rxjs";
import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../config/index.js";
import type { AlarmEvent } from "../../detectors/alarm.js";
import { SceneHistory } from "../../detectors/live/SceneHistory.js";
import { liveAlarms } from "../../detectors/operators/liveAlarms.js";
import type { LiveInput, PoseSample, StreamFrame, TickSample } from "../../detectors/samples.js";

const THUMB = 128 * 128 * 3;
const round = (t: number) => Math.round(t * 1000) / 1000;

/** What the cameras show at a tick: a scene that moves (thumbnail motion 6), a still one, a stalled pipeline. */
type Scene = "moving" | "still" | "stalled";

interface Take {
  readonly seconds: number;
  /** sensor_left's sample i (100 Hz, t = i/100): its x position, or "invalid", or undefined for none. */
  readonly pose: (i: number) => number | "invalid" | undefined;
  /** The cameras at tick k (32 Hz, t = k/32); undefined = no tap at all. */
  readonly scene?: (k: number) => Scene;
  /** Ticks reach the detectors this much later than samples of the same time (another socket). */
  readonly tickLagS?: number;
}

/** A body moving at 0.1 m/s along x. */
const moving = (i: number) => i / 1000;

function sample(t: number, x: number | "invalid"): PoseSample {
  return {
    body: "sensor_left",
    t,
    rx: t,
    position: [x === "invalid" ? 0 : x, 0, 0],
    quaternion: x === "invalid" ? [0, 0, 0, 0] : [0, 0, 0, 1],
    valid: x !== "invalid",
  };
}

function tick(k: number, scene: Scene): TickSample {
  const cam = (c: number): StreamFrame => {
    // Moving: the thumbnail alternates between two levels 6 apart; still: one level, a new frame
    // (hash) each tick; stalled: the same frame again.
    const level = scene === "moving" && k % 2 === 1 ? 106 : 100;
    return {
      hash: scene === "stalled" ? `cam${c}-stalled` : `cam${c}-${k}`,
      thumb: new Uint8Array(THUMB).fill(level),
    };
  };
  // The gel untouched: its frame repeats bitwise (spec §3).
  const gel: StreamFrame = { hash: "gel-rest", thumb: new Uint8Array(THUMB).fill(120) };
  return { frame: k, t: k / 32, streams: { cam0: cam(0), cam1: cam(1), cam2: cam(2), gel_left: gel } };
}

/** The take's samples and ticks in time order, through the live detectors; sensor_left's OT alarms. */
async function run(take: Take, config = defaultConfig()): Promise<AlarmEvent[]> {
  const inputs: { t: number; input: LiveInput }[] = [];
  for (let i = 0; i <= take.seconds * 100; i++) {
    const x = take.pose(i);
    if (x !== undefined) inputs.push({ t: i / 100, input: { type: "pose", sample: sample(i / 100, x) } });
  }
  if (take.scene) {
    for (let k = 0; k <= take.seconds * 32; k++)
      inputs.push({
        t: k / 32 + (take.tickLagS ?? 0),
        input: { type: "tick", tick: tick(k, (take.scene as (k: number) => Scene)(k)) },
      });
  }
  inputs.sort((a, b) => a.t - b.t);
  const events = await lastValueFrom(
    from([{ type: "episode_start", t: 0, episode: 0 } as LiveInput, ...inputs.map((i) => i.input)]).pipe(
      liveAlarms(config, 30),
      toArray(),
    ),
  );
  return events.filter((e) => e.subject === "sensor_left" && (e.kind === "held" || e.kind === "ot_loss"));
}

const brief = (events: readonly AlarmEvent[]) =>
  events.map((e) => [e.state, e.kind, e.severity, round(e.t), e.detail]);

/** Held from sample 100 (t = 1.00 s) through sample `last`, then moving again from where it really is. */
const heldFrom1s = (last: number) => (i: number) => (i >= 100 && i <= last ? moving(100) : moving(i));

describe("live diagnosis of a held pose", () => {
  it("a rest (pose held, nothing in view moves) is a held warning from 0.25 s that clears as real_still", async () => {
    // The body stops at x = 0.1 and moves on from there: no jump on release.
    const rest = (i: number) => (i < 100 ? moving(i) : i <= 200 ? moving(100) : moving(i - 100));
    const events = await run({
      seconds: 3,
      pose: rest,
      scene: (k) => (k >= 32 && k <= 64 ? "still" : "moving"),
    });
    expect(brief(events)).toEqual([
      ["raised", "held", "warning", 1.25, { heldS: 0.25, since: 1 }],
      ["cleared", "held", "warning", 2.01, { verdict: "real_still", rule: 3, heldS: 1.01 }],
    ]);
  });

  it("a pose held while the scene moves is the critical ot_loss at 0.25 s (rule 5), with no warning first", async () => {
    const events = await run({ seconds: 3, pose: heldFrom1s(200), scene: () => "moving" });
    expect(brief(events)).toEqual([
      [
        "raised",
        "ot_loss",
        "critical",
        1.25,
        {
          reason: "held",
          rule: 5,
          heldS: 0.25,
          verdict: "ot_loss",
          optGapS: 0.01,
          transVelMps: 0.1,
          angVelRadS: 0,
          invalidSamples: false,
          cameraMotion: [6, 6, 6],
          tactileMotion: 0,
        },
      ],
      // The release jump is part of the loss, which clears 0.2 s (live.clearAfterS) after it.
      ["cleared", "ot_loss", "critical", 2.21, {}],
    ]);
  });

  it("ticks that trail the samples: a warning while the hold's frames are not in yet, critical when they show the scene moving", async () => {
    const events = await run({ seconds: 3, pose: heldFrom1s(200), scene: () => "moving", tickLagS: 0.3 });
    expect(brief(events).map(([state, kind, severity, t]) => [state, kind, severity, t])).toEqual([
      ["raised", "held", "warning", 1.25],
      // The first tick of the hold (stamped 1.031 s) arrives after the sample of 1.33 s.
      ["raised", "ot_loss", "critical", 1.33],
      ["cleared", "held", "warning", 1.33],
      ["cleared", "ot_loss", "critical", 2.21],
    ]);
    expect(events[1]?.detail).toMatchObject({ reason: "held", rule: 5, heldS: 0.33 });
  });

  it("a still-looking hold that ends in a re-acquisition jump turns critical at the release (rule 2)", async () => {
    // The scene looks still, but the body moved 10 cm during the hold: 10 m/s over the 10 ms release.
    const events = await run({ seconds: 3, pose: heldFrom1s(200), scene: () => "still" });
    expect(brief(events)).toEqual([
      ["raised", "held", "warning", 1.25, { heldS: 0.25, since: 1 }],
      [
        "raised",
        "ot_loss",
        "critical",
        2.01,
        {
          reason: "held",
          rule: 2,
          heldS: 1.01,
          released: true,
          verdict: "ot_loss",
          optGapS: 0.01,
          transVelMps: 10.1,
          angVelRadS: 0,
          invalidSamples: false,
          cameraMotion: [0, 0, 0],
          tactileMotion: 0,
        },
      ],
      ["cleared", "held", "warning", 2.01, { verdict: "ot_loss", rule: 2, heldS: 1.01 }],
      ["cleared", "ot_loss", "critical", 2.21, {}],
    ]);
  });

  it("a gap in the second before a hold is OT evidence (rule 2): critical as soon as the pose has held 0.25 s", async () => {
    // No samples from 0.50 to 0.65 s (the gap's own silence alarm comes and goes), held from 1.00 s.
    const gapThenHeld = (i: number) => (i > 50 && i < 65 ? undefined : heldFrom1s(300)(i));
    const events = await run({ seconds: 3.5, pose: gapThenHeld, scene: () => "still" });
    expect(
      brief(events).map(([state, kind, , t, detail]) => [
        state,
        kind,
        t,
        (detail as { rule?: unknown }).rule,
      ]),
    ).toEqual([
      // Noticed by the first tick 0.1 s into it (ticks are the clock here); cleared 0.2 s after it ends.
      ["raised", "ot_loss", 0.625, undefined],
      ["cleared", "ot_loss", 0.86, undefined],
      ["raised", "ot_loss", 1.25, 2],
      ["cleared", "ot_loss", 3.21, undefined],
    ]);
    expect(events[2]?.detail).toMatchObject({ reason: "held", optGapS: 0.15 });
  });

  it("without cameras (no tap), a held pose stays a warning until the limit (live.heldCriticalS), then is critical", async () => {
    const config = defaultConfig();
    const limited = { ...config, live: { ...config.live, heldCriticalS: 2 } };
    const events = await run({ seconds: 4, pose: heldFrom1s(350) }, limited);
    expect(brief(events).map(([state, kind, severity, t]) => [state, kind, severity, t])).toEqual([
      ["raised", "held", "warning", 1.25],
      ["raised", "ot_loss", "critical", 3],
      ["cleared", "held", "warning", 3],
      ["cleared", "ot_loss", "critical", 3.71],
    ]);
    expect(events[1]?.detail).toMatchObject({ reason: "held", rule: "limit", heldS: 2, verdict: "unknown" });
    expect(events[2]?.detail).toEqual({ verdict: "ot_loss", rule: "limit", heldS: 2 });
  });

  it("an invalid sample during a hold is the critical loss at once; the warning says what it became", async () => {
    const heldThenInvalid = (i: number) => (i === 150 ? "invalid" : heldFrom1s(200)(i));
    const events = await run({ seconds: 3, pose: heldThenInvalid, scene: () => "still" });
    expect(brief(events).slice(0, 3)).toEqual([
      ["raised", "held", "warning", 1.25, { heldS: 0.25, since: 1 }],
      ["raised", "ot_loss", "critical", 1.5, { reason: "invalid", valid: false }],
      ["cleared", "held", "warning", 1.5, { verdict: "ot_loss", by: "invalid", heldS: 0.5 }],
    ]);
  });

  it("a hold under a pipeline stall is explained by the stall (rule 1): it stays a warning", async () => {
    const events = await run({
      seconds: 3,
      // Still the body's true motion: no jump on release.
      pose: (i) => (i >= 100 && i <= 200 ? moving(100) : moving(i < 100 ? i : i - 100)),
      scene: (k) => (k >= 24 && k <= 70 ? "stalled" : "moving"),
    });
    expect(brief(events)).toEqual([
      ["raised", "held", "warning", 1.25, { heldS: 0.25, since: 1 }],
      ["cleared", "held", "warning", 2.01, { verdict: "pipeline_stall", rule: 1, heldS: 1.01 }],
    ]);
  });

  it("a body the take declares inactive raises its OT loss as a warning: losing it costs the take nothing", async () => {
    const events = await lastValueFrom(
      from([
        {
          type: "episode_start",
          t: 0,
          episode: 0,
          activeBodies: ["motherboard", "sensor_right"],
        },
        // Both stream steadily past the prefix (1.2 s at 100 Hz), then lose tracking at once.
        ...Array.from({ length: 121 }, (_, i) => [
          { type: "pose", sample: sample(i / 100, moving(i)) },
          { type: "pose", sample: { ...sample(i / 100, moving(i)), body: "sensor_right" } },
        ]).flat(),
        { type: "pose", sample: sample(1.21, "invalid") },
        { type: "pose", sample: { ...sample(1.21, "invalid"), body: "sensor_right" } },
      ] as LiveInput[]).pipe(liveAlarms(defaultConfig(), 30), toArray()),
    );
    expect(events.map((e) => [e.kind, e.subject, e.severity])).toEqual([
      ["ot_loss", "sensor_left", "warning"],
      ["ot_loss", "sensor_right", "critical"],
    ]);
  });
});

describe("SceneHistory", () => {
  const frame = (hash: string, level?: number): StreamFrame =>
    level === undefined ? { hash } : { hash, thumb: new Uint8Array(THUMB).fill(level) };

  it("pairs each stream's consecutive ticks: duplicates (equal hashes) count 0 motion, spans are (from, to]", () => {
    const h = new SceneHistory({ keepS: 10 });
    const levels = [10, 14, 14, 20, 20];
    levels.forEach((level, k) =>
      h.push({ frame: k, t: k / 8, streams: { cam0: frame(k === 2 ? "a1" : `a${k}`, level) } }),
    );
    // Pairs at ticks 1 (|14−10| = 4), 2 (a repeat), 3 (6), 4 (a new hash, the same content: 0).
    expect(h.activity("cam0", 0, 0.5)).toEqual({ pairs: 4, dupFraction: 0.25, motion: 2.5 });
    expect(h.activity("cam0", 0.25, 0.5)).toEqual({ pairs: 2, dupFraction: 0, motion: 3 });
    expect(h.activity("cam0", 0, 0.375)).toEqual({ pairs: 3, dupFraction: 1 / 3, motion: 10 / 3 });
    expect(h.activity("cam1", 0, 0.5)).toEqual({ pairs: 0, dupFraction: 0, motion: Number.NaN });
  });

  it("knows no motion without thumbnails, pairs nothing across a tap outage, and forgets what is older than keepS", () => {
    const h = new SceneHistory({ keepS: 2 });
    h.push({ frame: 0, t: 0, streams: { cam0: frame("x0") } });
    h.push({ frame: 1, t: 0.1, streams: { cam0: frame("x1") } });
    expect(h.activity("cam0", -1, 1)).toEqual({ pairs: 1, dupFraction: 0, motion: Number.NaN });
    h.push({ frame: 2, t: 1.1, streams: { cam0: frame("x2", 5) } }); // 1 s after the last: not consecutive
    h.push({ frame: 3, t: 1.2, streams: { cam0: frame("x3", 8) } });
    expect(h.activity("cam0", -1, 2)).toEqual({ pairs: 2, dupFraction: 0, motion: 3 });
    h.push({ frame: 4, t: 3.15, streams: { cam0: frame("x4", 8) } }); // 1.95 s later: not paired either
    h.push({ frame: 5, t: 3.25, streams: { cam0: frame("x5", 9) } });
    // Pairs older than 2 s before the newest tick are gone.
    expect(h.activity("cam0", -1, 4)).toEqual({ pairs: 1, dupFraction: 0, motion: 1 });
  });
});
