import type { FrameClock } from "../../detectors/frameClock.js";
import type { OtStream } from "../../hw/h5/index.js";

const POSE_WIDTH = 7;

/**
 * A body's pose per kept camera frame (frames `from`…T−1), (count, 7) float32 row-major: the row of
 * the OT sample nearest in time to the frame's timestamp, ties to the earlier one (spec §2). Raw rows
 * as recorded, invalid ones included (a NaN or zero quaternion is how a consumer sees the loss). A body
 * without samples has no nearest one: its rows are NaN.
 */
export function alignedPoses(clock: FrameClock, stream: OtStream, from: number): Float32Array {
  const count = Math.max(0, clock.frameCount - from);
  const out = new Float32Array(count * POSE_WIDTH).fill(Number.NaN);
  const nearest = clock.nearestSamples(stream.timestamps);
  for (let i = 0; i < count; i++) {
    const j = nearest[from + i] as number;
    if (j < 0) continue;
    out.set(stream.pose.subarray(j * POSE_WIDTH, (j + 1) * POSE_WIDTH), i * POSE_WIDTH);
  }
  return out;
}
