import { isUsablePose, rowPosition, rowQuaternion } from "../../detectors/ot/index.js";
import type { PoseSample } from "../../detectors/samples.js";
import type { OtStream } from "./OtStream.js";

/**
 * Sample `i` of a body's H5 OT stream as a live source would have emitted it. The file has no
 * tracking-valid bit, so validity comes from the pose itself (finite, quaternion not near zero).
 */
export function poseSampleAt(stream: OtStream, i: number, invalidQuatNorm: number): PoseSample {
  const t = stream.timestamps[i] as number;
  const position = rowPosition(stream.pose, i);
  const quaternion = rowQuaternion(stream.pose, i);
  return {
    body: stream.body,
    t,
    rx: t,
    position,
    quaternion,
    valid: isUsablePose(position, quaternion, invalidQuatNorm),
  };
}

/**
 * The stream's samples one at a time, in file order (a time that goes backwards is for the detectors
 * to notice and count). Lazy, so a long take never holds 100,000 sample objects at once.
 */
export function* poseSamples(stream: OtStream, invalidQuatNorm: number): Generator<PoseSample> {
  for (let i = 0; i < stream.timestamps.length; i++) yield poseSampleAt(stream, i, invalidQuatNorm);
}
