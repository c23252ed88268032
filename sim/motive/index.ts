/** A Motive-like NatNet server on UDP for tests, benchmarks and `rigwatch sim`. */
export {
  type FaultKind,
  type FaultSpec,
  type HeldFaultKind,
  type InjectedFault,
  MotiveSimulator,
  type MotiveSimulatorOptions,
  type MulticastOptions,
  realClock,
  SIM_CLOCK_HZ,
  type SimClock,
  type SimNatNetVersion,
  startSimulator,
} from "./MotiveSimulator.js";
export {
  eulerToQuat,
  flip180,
  type Pose,
  prng,
  quatMultiply,
  RIG_BODIES,
  type SimBody,
  Trajectory,
} from "./trajectory.js";
