import type { FaultSpec, MotiveSimulator, SimNatNetVersion } from "./motive/index.js";
import { startSimulator } from "./motive/index.js";
import type { SimTake, TapFault } from "./recorder/TapSimulator.js";
import { TapSimulator } from "./recorder/TapSimulator.js";

/** Rigid-body ids of the simulated rig (Motive's model): motherboard 1, sensor_left 2, sensor_right 3. */
const LEFT = 2;
const RIGHT = 3;

/** The operator's rest near the end of take A: long enough to see its warning on the page. */
const REST_S = 1.5;

/** One demo cycle lasts this long; the schedule repeats for as long as the demo runs. */
export const DEMO_CYCLE_S = 120;

export interface DemoSchedule {
  readonly motive: FaultSpec[];
  readonly tap: TapFault[];
  readonly takes: SimTake[];
}

/**
 * Every alarm kind within each two-minute cycle, so a newcomer running `rigwatch run --sim` sees each
 * within the first 90 s: take A (0:02–0:58) carries every OT fault and every camera/GelSight fault,
 * a pose held while the scene moves (a critical OT loss) and, at 0:54, a rest (every body and the
 * whole scene still: a quiet `held` warning that clears); take B starts while Motive is silent (start
 * gate), then Motive goes silent for 11 s (watchdog: the simulated recorder obeys the stop); take C
 * is clean.
 */
export function demoSchedule(cycles = 30): DemoSchedule {
  const motive: FaultSpec[] = [];
  const tap: TapFault[] = [];
  const takes: SimTake[] = [];
  const takeA: Omit<FaultSpec, "at">[] = [
    { fault: "trackingLost", body: LEFT, durationS: 1.5 },
    { fault: "heldPose", body: RIGHT, durationS: 1 },
    { fault: "teleport", body: LEFT },
    { fault: "silence", durationS: 0.5 },
    { fault: "rotationFlip", body: RIGHT },
    { fault: "garbage", count: 3 },
    { fault: "serverRestart", durationS: 2 },
  ];
  for (let c = 0; c < cycles; c++) {
    const t0 = c * DEMO_CYCLE_S;
    takeA.forEach((f, i) => motive.push({ ...f, at: t0 + 5 + i * 7 }));
    tap.push(
      { fault: "ledFlicker", at: t0 + 9, side: "left" },
      { fault: "cameraFrozen", at: t0 + 16, durationS: 2, stream: "cam1" },
      { fault: "camerasStalled", at: t0 + 23, durationS: 1.5 },
      { fault: "gelUnplugged", at: t0 + 30, durationS: 3, side: "right" },
      // The scene stills from just before the hands stop to just after they move on.
      { fault: "sceneStill", at: t0 + 53.8, durationS: REST_S + 0.5 },
    );
    for (const body of [1, LEFT, RIGHT]) motive.push({ fault: "rest", body, at: t0 + 54, durationS: REST_S });
    motive.push(
      { fault: "silence", at: t0 + 61.5, durationS: 3 },
      { fault: "silence", at: t0 + 72, durationS: 11 },
    );
    takes.push(
      { at: t0 + 2, durationS: 56, episode: 3 * c },
      { at: t0 + 64, durationS: 24, episode: 3 * c + 1 },
      { at: t0 + 92, durationS: 26, episode: 3 * c + 2 },
    );
  }
  return { motive, tap, takes };
}

export interface SimulatedRigOptions {
  readonly commandPort?: number;
  readonly version?: SimNatNetVersion;
  readonly rateHz?: number;
  /** Where the simulated recorder's tap binds (default an ephemeral loopback port). */
  readonly tapEndpoint?: string;
  /** rigwatch's alarm socket, so the simulated recorder obeys the watchdog. */
  readonly alarmEndpoint?: string;
  /** What happens when; default the two-minute demo cycle (`demoSchedule`). */
  readonly schedule?: DemoSchedule;
}

export interface SimulatedRig {
  readonly motive: MotiveSimulator;
  readonly tap: TapSimulator;
  close(): Promise<void>;
}

/** The built-in simulated rig: Motive and the recorder's tap, on the demo schedule. */
export async function startSimulatedRig(options: SimulatedRigOptions = {}): Promise<SimulatedRig> {
  const schedule = options.schedule ?? demoSchedule();
  const [motive, tap] = await Promise.all([
    startSimulator({
      commandPort: options.commandPort ?? 0,
      version: options.version ?? "4.1",
      rateHz: options.rateHz ?? 120,
      faults: schedule.motive,
    }),
    TapSimulator.start({
      ...(options.tapEndpoint ? { endpoint: options.tapEndpoint } : {}),
      ...(options.alarmEndpoint ? { alarmEndpoint: options.alarmEndpoint } : {}),
      takes: schedule.takes,
      faults: schedule.tap,
      dataDir: "sim-data/today",
    }),
  ]);
  return {
    motive,
    tap,
    async close() {
      await Promise.all([motive.close(), tap.close()]);
    },
  };
}
