import type { FaultSpec, MotiveSimulator, SimNatNetVersion } from "../hw/natnet/sim/index.js";
import { startSimulator } from "../hw/natnet/sim/index.js";

/** Rigid-body ids of the simulated rig (Motive's model): motherboard 1, sensor_left 2, sensor_right 3. */
const LEFT = 2;
const RIGHT = 3;

/**
 * Every fault kind within each minute, so a newcomer running `rigwatch run --sim` sees each alarm
 * within the first minute, and keeps seeing them for as long as the demo runs.
 */
export function demoFaults(minutes = 60): FaultSpec[] {
  const minute: Omit<FaultSpec, "at">[] = [
    { fault: "trackingLost", body: LEFT, durationS: 1.5 },
    { fault: "heldPose", body: RIGHT, durationS: 1 },
    { fault: "teleport", body: LEFT },
    { fault: "silence", durationS: 0.5 },
    { fault: "rotationFlip", body: RIGHT },
    { fault: "garbage", count: 3 },
    { fault: "serverRestart", durationS: 2 },
  ];
  const faults: FaultSpec[] = [];
  for (let m = 0; m < minutes; m++) minute.forEach((f, i) => faults.push({ ...f, at: m * 60 + 5 + i * 7 }));
  return faults;
}

export interface SimulatedRigOptions {
  readonly commandPort?: number;
  readonly version?: SimNatNetVersion;
  readonly rateHz?: number;
}

/** The built-in simulated Motive with the demo fault schedule. */
export function startSimulatedRig(options: SimulatedRigOptions = {}): Promise<MotiveSimulator> {
  return startSimulator({
    commandPort: options.commandPort ?? 0,
    version: options.version ?? "4.1",
    rateHz: options.rateHz ?? 120,
    faults: demoFaults(),
  });
}
