import { isUsablePose, rowPosition, rowQuaternion } from "../../detectors/ot/index.js";
import type { PoseSample } from "../../detectors/samples.js";
import type { OtStream } from "./EpisodeReader.js";

/**
 * A body's H5 OT stream as the samples a live source would have emitted. The file has no
 * tracking-valid bit, so validity comes from the pose itself (finite, quaternion not near zero).
 * Samples stay in file order: a time that goes backwards is for the detectors to notice and count.
 */
export function poseSamplesOf(stream: OtStream, invalidQuatNorm: number): PoseSample[] {
  const samples: PoseSample[] = [];
  for (let i = 0; i < stream.timestamps.length; i++) {
    const t = stream.timestamps[i] as number;
    const position = rowPosition(stream.pose, i);
    const quaternion = rowQuaternion(stream.pose, i);
    samples.push({
      body: stream.body,
      t,
      rx: t,
      position,
      quaternion,
      valid: isUsablePose(position, quaternion, invalidQuatNorm),
    });
  }
  return samples;
}
