import { THUMB_BYTES, THUMB_SIDE, toChannelFirst } from "../../detectors/image/index.js";
import type { CameraStream, Side } from "../../detectors/samples.js";
import type { TorchFileWriter, TorchTensor } from "../../sinks/torch/index.js";
import type { TakeEvidence } from "../analysis/index.js";

/** Frames gathered per write: fewer, larger writes and CRC calls, still only 1.5 MB held. */
const BATCH = 32;

export const THUMB_SHAPE = [3, THUMB_SIDE, THUMB_SIDE] as const;

/**
 * `view_*` (count, 3, 128, 128) uint8: a camera's thumbnails of frames from … T−1 (spec §4 crop +
 * INTER_AREA, BGR kept as recorded), which the analysis pass made channel-first as the `.pt` stores
 * them: streamed from its file into the tensor, batch by batch, no frame decoded.
 */
export function writeCameraView(
  pt: TorchFileWriter,
  evidence: TakeEvidence,
  cam: CameraStream,
  from: number,
  onBatch?: (frames: number) => void,
): TorchTensor {
  const count = Math.max(0, evidence.frameCount - from);
  const stream = pt.beginTensor("uint8", [count, ...THUMB_SHAPE]);
  const thumbs = evidence.cameraThumbs(cam);
  try {
    const batch = new Uint8Array(BATCH * THUMB_BYTES);
    for (let i = 0; i < count; i += BATCH) {
      const n = Math.min(BATCH, count - i);
      stream.write(thumbs.read(from + i, batch.subarray(0, n * THUMB_BYTES)));
      onBatch?.(n);
    }
  } finally {
    thumbs.close();
  }
  return stream.end();
}

/**
 * `tactile_*` (count, 3, 128, 128) uint8 from the analysis pass's GelSight thumbnails (one per
 * distinct frame; repeated frames share a slot), transposed to channel-first. RGB.
 */
export function writeTactile(
  pt: TorchFileWriter,
  evidence: TakeEvidence,
  side: Side,
  from: number,
): TorchTensor {
  const slots = evidence.gelSlots(side).subarray(from);
  const stream = pt.beginTensor("uint8", [slots.length, ...THUMB_SHAPE]);
  const batch = new Uint8Array(BATCH * THUMB_BYTES);
  const thumb = new Uint8Array(THUMB_BYTES);
  let inBatch = 0;
  let loaded = -1;
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i] as number;
    if (slot !== loaded) evidence.gelThumb(side, slot, thumb);
    loaded = slot;
    toChannelFirst(thumb, batch.subarray(inBatch * THUMB_BYTES, (inBatch + 1) * THUMB_BYTES));
    if (++inBatch === BATCH) {
      stream.write(batch);
      inBatch = 0;
    }
  }
  if (inBatch > 0) stream.write(batch.subarray(0, inBatch * THUMB_BYTES));
  return stream.end();
}

/** Kept frame `index` (frame from + index) of a side's GelSight as a (3, 128, 128) channel-first thumbnail. */
export function tactileThumb(evidence: TakeEvidence, side: Side, from: number, index: number): Uint8Array {
  return toChannelFirst(evidence.gelThumb(side, evidence.gelSlots(side)[from + index] as number));
}
