import type { AlarmEvent } from "../alarm.js";
import type { FreezeClassifierConfig } from "../freezeClassifier.js";
import { OtLossDetector, type OtWindowEvidence, TeleportDetector } from "../ot/index.js";
import type { PoseSample, Side } from "../samples.js";
import { AlarmLatch } from "./AlarmLatch.js";
import { type HeldPoseVerdict, heldPoseVerdict, heldSceneEvidence } from "./heldPoseVerdict.js";
import { PoseHistory } from "./PoseHistory.js";
import type { SceneHistory } from "./SceneHistory.js";
import { SteadyStream } from "./SteadyStream.js";

export interface OtAlarmConfig {
  readonly otGapS: number;
  readonly freezeThresholdS: number;
  readonly invalidQuatNorm: number;
  readonly teleport: {
    readonly velocityMps: number;
    readonly angularRadS: number;
    readonly combine: "or" | "and";
  };
  /** Hysteresis: a condition must stay absent this long before its alarm clears. */
  readonly clearAfterS: number;
  /** The freeze diagnosis: its window (s) and its thresholds (spec §3). */
  readonly classifier: FreezeClassifierConfig & { readonly windowS: number };
  /** A held pose still a warning after this long (from the value's first appearance) becomes critical. */
  readonly heldCriticalS: number;
  /** Spec §2's steady stream: OT before it at a take's start is the uninitialised prefix, trimmed. */
  readonly trim: { readonly maxGapS: number; readonly steadyS: number };
}

/** A hold being judged: when its value first appeared, and the OT statistics of the second before. */
interface Hold {
  readonly start: number;
  readonly ot: OtWindowEvidence;
}

export interface OtAlarmTrackerOptions {
  readonly body: string;
  readonly config: OtAlarmConfig;
  /** Time from which samples are expected (the take's start): a late first sample is silence. */
  readonly startT?: number;
  /** The cameras and GelSights, for the diagnosis of a held pose; without it only OT evidence speaks. */
  readonly scene?: SceneHistory;
  /** The GelSight on this body (sensor bodies), whose motion joins the cameras'. */
  readonly side?: Side;
  /** The tracker starts during a take: its OT is in the take's uninitialised prefix until steady. */
  readonly inTake?: boolean;
}

/**
 * Live OT alarms of one body. Critical `ot_loss` at once on the first invalid sample and on silence
 * (checked on every clock tick, source time); `teleport` on a raw-sample jump. A pose held for the
 * freeze threshold is the spec's freeze candidate: a `held` warning (no sound) at once, judged by the
 * freeze classifier on the evidence so far at every new sample and camera tick, and escalated to a
 * critical `ot_loss` when it says the mocap lost the body (rule 2 or 5), or when the hold outlasts
 * `heldCriticalS`. A hold that ends without that is cleared with the verdict (`real_still` when the
 * scene was still all along). Pure: samples, ticks and clock ticks carry the time.
 *
 * Until the body streams steadily (spec §2: no gap over `trim.maxGapS` for `trim.steadyS`) from a
 * take's start that finds it not streaming (or from its own start within a take), its OT loss is a warning:
 * offline trims those frames as the OT-uninitialised prefix and publishes no loss. The operator is
 * told by the start gate and the watchdog (TakeGuard), which are critical.
 */
export class OtAlarmTracker {
  readonly body: string;
  private readonly config: OtAlarmConfig;
  private readonly loss: OtLossDetector;
  private readonly teleport: TeleportDetector;
  private readonly history: PoseHistory;
  private readonly scene: SceneHistory | undefined;
  private readonly side: Side | undefined;
  private readonly lossLatch: AlarmLatch;
  private readonly heldLatch: AlarmLatch;
  private readonly teleportLatch: AlarmLatch;
  private lastSampleT: number | undefined;
  private hold: Hold | undefined;
  private readonly steady: SteadyStream;
  private isNeeded = true;

  constructor(options: OtAlarmTrackerOptions) {
    const { body, config } = options;
    this.body = body;
    this.config = config;
    this.loss = new OtLossDetector(body, config, options.startT);
    this.teleport = new TeleportDetector(body, {
      ...config.teleport,
      otGapS: config.otGapS,
      invalidQuatNorm: config.invalidQuatNorm,
    });
    this.history = new PoseHistory({
      keepS: config.classifier.windowS + config.heldCriticalS + 1,
      invalidQuatNorm: config.invalidQuatNorm,
    });
    this.scene = options.scene;
    this.side = options.side;
    this.lossLatch = new AlarmLatch("ot_loss", body, "critical", config.clearAfterS);
    this.heldLatch = new AlarmLatch("held", body, "warning", 0);
    this.teleportLatch = new AlarmLatch("teleport", body, "warning", config.clearAfterS);
    this.lastSampleT = options.startT;
    this.steady = new SteadyStream(config.trim, options.inTake !== true);
    this.setLossSeverity();
  }

  get lost(): boolean {
    return this.lossLatch.raised;
  }

  /** The body's pose repeats right now: a hold may be under way, so the scene's motion is wanted. */
  get repeating(): boolean {
    return this.loss.repeating;
  }

  /**
   * Whether the take needs this body tracked (the recorder declares its active sensors). Losing a
   * body the take does not use costs it nothing: its `ot_loss` is then a warning, not a critical.
   */
  set needed(needed: boolean) {
    this.isNeeded = needed;
    this.setLossSeverity();
  }

  /**
   * A take starts at `t`: a body that is not streaming steadily now starts it in the uninitialised
   * prefix, as offline sees the take (its alarms, from here, are warnings until the stream is steady).
   */
  onTakeStart(t: number): AlarmEvent[] {
    this.steady.restartUnlessSteadyAt(t);
    this.setLossSeverity();
    return [];
  }

  /** Critical once the body is needed and its stream initialised; a warning otherwise. */
  private setLossSeverity(): void {
    this.lossLatch.severity = this.isNeeded && this.steady.reached ? "critical" : "warning";
  }

  /** What a loss alarm says of the prefix: the operator reads "not streaming yet", not "lost". */
  private lossDetail(detail: Record<string, unknown>): Record<string, unknown> {
    return this.steady.reached ? detail : { ...detail, uninitialised: true };
  }

  onSample(sample: PoseSample): AlarmEvent[] {
    const out: AlarmEvent[] = [];
    const t = sample.t;
    this.history.push(sample);
    this.loss.push(sample);
    this.lastSampleT = t;
    if (!this.loss.invalid && this.loss.lastValidTime === t) {
      const was = this.steady.reached;
      this.steady.push(t);
      if (this.steady.reached !== was) this.setLossSeverity();
    }
    if (this.loss.invalid) {
      push(out, this.lossLatch.bad(t, this.lossDetail({ reason: "invalid", valid: sample.valid })));
      push(out, this.endHold(t, { verdict: "ot_loss", by: "invalid" }));
    } else if (this.loss.holding) {
      if (this.lossLatch.raised) push(out, this.lossLatch.bad(t, this.lossDetail({ reason: "held" })));
      // A new hold is judged at once; a standing one on each camera tick, and here only for its limit.
      else if (!this.hold || this.pastLimit(t)) out.push(...this.judgeHold(t));
    } else {
      if (this.hold) out.push(...this.release(t));
      push(out, this.lossLatch.good(t));
    }
    const jump = this.teleport.push(sample);
    if (jump) {
      push(
        out,
        this.teleportLatch.bad(t, {
          velocityMps: jump.velocityMps,
          angularRadS: jump.angularRadS,
          tA: jump.tA,
        }),
      );
    } else if (sample.valid) {
      push(out, this.teleportLatch.good(t));
    }
    return out;
  }

  /**
   * A camera tick arrived (its time `tickT`): the scene evidence of a standing hold grew. The tap's
   * ticks may trail NatNet's samples (another socket, another clock): the hold is as long as the
   * latest of the two says, never shorter than when it was raised.
   */
  onScene(tickT: number): AlarmEvent[] {
    if (!this.hold || !this.heldLatch.raised) return [];
    return this.judgeHold(Math.max(tickT, this.lastSampleT ?? tickT));
  }

  /**
   * Source-time clock: raises `ot_loss` when no valid sample has arrived for the gap threshold, and
   * escalates a hold that has outlasted its limit.
   */
  onClock(now: number): AlarmEvent[] {
    const out: AlarmEvent[] = [];
    if (this.hold && this.heldLatch.raised && this.pastLimit(now)) out.push(...this.judgeHold(now));
    const last = this.loss.lastValidTime ?? this.lastSampleT;
    if (last === undefined || now - last < this.config.otGapS) return out;
    push(out, this.lossLatch.bad(now, this.lossDetail({ reason: "silence", silentS: now - last })));
    push(out, this.endHold(now, { verdict: "ot_loss", by: "silence" }));
    return out;
  }

  /**
   * The pose is held (at `now`): a new hold is raised as a warning unless the evidence already says
   * OT loss; a standing one escalates once it does, or once it outlasts the limit.
   */
  private judgeHold(now: number): AlarmEvent[] {
    const start = this.hold?.start ?? (this.loss.heldSince as number);
    // Held samples repeat one value: the OT statistics cannot change until the release.
    const ot = this.hold?.ot ?? this.history.evidence(start - this.config.classifier.windowS, now);
    const isNew = this.hold === undefined;
    this.hold = { start, ot };
    const v = this.verdict(ot, start, now);
    const heldS = round3(now - start);
    if (!v.otLoss && !this.pastLimit(now)) {
      return isNew ? optional(this.heldLatch.bad(now, { heldS, since: start })) : [];
    }
    const rule = v.otLoss ? v.rule : "limit";
    const out = optional(
      this.lossLatch.bad(now, this.lossDetail({ reason: "held", rule, heldS, ...summary(v) })),
    );
    push(out, this.endHold(now, { verdict: "ot_loss", rule }));
    return out;
  }

  private pastLimit(now: number): boolean {
    return this.hold !== undefined && now - this.hold.start >= this.config.heldCriticalS;
  }

  /** The held value changed at `t`: the hold is over; judged once more, with the release itself. */
  private release(t: number): AlarmEvent[] {
    const hold = this.hold as Hold;
    this.hold = undefined;
    if (!this.heldLatch.raised) return []; // escalated already
    const ot = this.history.evidence(hold.start - this.config.classifier.windowS, t);
    const v = this.verdict(ot, hold.start, t);
    const heldS = round3(t - hold.start);
    if (!v.otLoss)
      return optional(this.heldLatch.clear(t, { verdict: v.verdict, rule: v.rule ?? null, heldS }));
    // The jump on re-acquisition (rule 2) shows only now: the loss was real, and is over.
    const out = optional(
      this.lossLatch.bad(
        t,
        this.lossDetail({ reason: "held", rule: v.rule, heldS, released: true, ...summary(v) }),
      ),
    );
    push(out, this.heldLatch.clear(t, { verdict: "ot_loss", rule: v.rule ?? null, heldS }));
    return out;
  }

  /** Another OT-loss signal took over a standing hold. */
  private endHold(t: number, detail: Record<string, unknown>): AlarmEvent | undefined {
    const start = this.hold?.start;
    this.hold = undefined;
    return this.heldLatch.clear(t, start === undefined ? detail : { ...detail, heldS: round3(t - start) });
  }

  private verdict(ot: OtWindowEvidence, start: number, now: number): HeldPoseVerdict {
    const { classifier } = this.config;
    const scene = this.scene
      ? heldSceneEvidence(this.scene, this.side, { start, now }, classifier.windowS)
      : { known: false, evidence: NO_SCENE };
    return heldPoseVerdict(ot, scene, classifier);
  }
}

const NO_SCENE = {
  cameraDupFraction: [],
  cameraDupFractionInside: [],
  cameraMotion: [],
  tactileDupFraction: 0,
  tactileMotion: 0,
} as const;

/** The evidence behind an escalation, for the operator and the log: rounded, per camera. */
function summary(v: HeldPoseVerdict): Record<string, unknown> {
  const e = v.evidence;
  return {
    verdict: v.verdict,
    optGapS: round3(e.optGapS),
    transVelMps: round3(e.transVelNearMps),
    angVelRadS: round3(e.angVelNearRadS),
    invalidSamples: e.invalidSamples,
    cameraMotion: e.cameraMotion.map(round3),
    tactileMotion: round3(e.tactileMotion),
  };
}

function optional(event: AlarmEvent | undefined): AlarmEvent[] {
  return event ? [event] : [];
}

function push(out: AlarmEvent[], event: AlarmEvent | undefined) {
  if (event) out.push(event);
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
