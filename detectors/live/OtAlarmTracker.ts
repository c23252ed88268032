import type { AlarmEvent } from "../alarm.js";
import { OtLossDetector, TeleportDetector } from "../ot/index.js";
import type { PoseSample } from "../samples.js";
import { AlarmLatch } from "./AlarmLatch.js";

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
}

/**
 * Live OT alarms of one body: `ot_loss` on the first invalid sample, on a pose held for the freeze
 * threshold, or on silence (checked on every clock tick, source time); `teleport` on a raw-sample
 * jump. Pure: samples and clock ticks carry the time.
 */
export class OtAlarmTracker {
  private readonly loss: OtLossDetector;
  private readonly teleport: TeleportDetector;
  private readonly lossLatch: AlarmLatch;
  private readonly teleportLatch: AlarmLatch;
  private lastSampleT: number | undefined;

  constructor(
    readonly body: string,
    private readonly config: OtAlarmConfig,
    startT?: number,
  ) {
    this.loss = new OtLossDetector(body, config, startT);
    this.teleport = new TeleportDetector(body, {
      ...config.teleport,
      otGapS: config.otGapS,
      invalidQuatNorm: config.invalidQuatNorm,
    });
    this.lossLatch = new AlarmLatch("ot_loss", body, "critical", config.clearAfterS);
    this.teleportLatch = new AlarmLatch("teleport", body, "warning", config.clearAfterS);
    this.lastSampleT = startT;
  }

  get lost(): boolean {
    return this.lossLatch.raised;
  }

  onSample(sample: PoseSample): AlarmEvent[] {
    const out: AlarmEvent[] = [];
    this.loss.push(sample);
    this.lastSampleT = sample.t;
    if (this.loss.invalid)
      push(out, this.lossLatch.bad(sample.t, { reason: "invalid", valid: sample.valid }));
    else if (this.loss.holding) push(out, this.lossLatch.bad(sample.t, { reason: "held" }));
    else push(out, this.lossLatch.good(sample.t));
    const jump = this.teleport.push(sample);
    if (jump) {
      push(
        out,
        this.teleportLatch.bad(sample.t, {
          velocityMps: jump.velocityMps,
          angularRadS: jump.angularRadS,
          tA: jump.tA,
        }),
      );
    } else if (sample.valid) {
      push(out, this.teleportLatch.good(sample.t));
    }
    return out;
  }

  /** Source-time clock: raises `ot_loss` when no valid sample has arrived for the gap threshold. */
  onClock(now: number): AlarmEvent[] {
    const last = this.loss.lastValidTime ?? this.lastSampleT;
    if (last === undefined || now - last < this.config.otGapS) return [];
    const event = this.lossLatch.bad(now, { reason: "silence", silentS: now - last });
    return event ? [event] : [];
  }
}

function push(out: AlarmEvent[], event: AlarmEvent | undefined) {
  if (event) out.push(event);
}
