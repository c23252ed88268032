import { THUMB_BYTES, THUMB_SIDE, thumbnail, toChannelFirst } from "../../detectors/image/index.js";
import type { CameraStream, Side } from "../../detectors/samples.js";
import type { EpisodeReader } from "../../hw/h5/index.js";
import type { TorchFileWriter, TorchTensor } from "../../sinks/torch/index.js";
import type { FrameScan } from "../detect/frameScan.js";

/** Frames gathered per write: fewer, larger writes and CRC calls, still only 1.5 MB held. */
const BATCH = 32;

export const THUMB_SHAPE = [3, THUMB_SIDE, THUMB_SIDE] as const;

/** Collects channel-first thumbnails into batches for one tensor stream. */
class ThumbBatcher {
  private readonly batch = new Uint8Array(BATCH * THUMB_BYTES);
  private n = 0;

  constructor(private readonly write: (data: Uint8Array) => void) {}

  /** Where the next channel-first thumbnail goes; `advance` once it is written. */
  get slot(): Uint8Array {
    return this.batch.subarray(this.n * THUMB_BYTES, (this.n + 1) * THUMB_BYTES);
  }

  advance(): void {
    if (++this.n === BATCH) this.flush();
  }

  push(thumbHWC: Uint8Array): void {
    toChannelFirst(thumbHWC, this.slot);
    this.advance();
  }

  flush(): void {
    if (this.n > 0) this.write(this.batch.subarray(0, this.n * THUMB_BYTES));
    this.n = 0;
  }
}

/**
 * `view_*` (count, 3, 128, 128) uint8: a camera's frames from..from+count−1 read one at a time,
 * thumbnailed (spec §4 crop + INTER_AREA) and streamed into the file. BGR kept, as recorded.
 */
export function writeCameraView(
  pt: TorchFileWriter,
  reader: EpisodeReader,
  cam: CameraStream,
  from: number,
  count: number,
  onFrame?: () => void,
): TorchTensor {
  const stream = pt.beginTensor("uint8", [count, ...THUMB_SHAPE]);
  const batcher = new ThumbBatcher((data) => stream.write(data));
  for (let i = 0; i < count; i++) {
    // The heap view is consumed before the next read.
    thumbnail(reader.frameView(cam, from + i), reader.height, reader.width, batcher.slot, "chw");
    batcher.advance();
    onFrame?.();
  }
  batcher.flush();
  return stream.end();
}

/**
 * `tactile_*` (count, 3, 128, 128) uint8 from the thumbnails detect's frame scan already made (one
 * per distinct GelSight frame; repeated frames share a slot), so the gel is not decoded twice. RGB.
 */
export function writeTactile(pt: TorchFileWriter, scan: FrameScan, side: Side): TorchTensor {
  const { slots } = scan.gel[side];
  const stream = pt.beginTensor("uint8", [scan.count, ...THUMB_SHAPE]);
  const batcher = new ThumbBatcher((data) => stream.write(data));
  const thumb = new Uint8Array(THUMB_BYTES);
  let loaded = -1;
  for (let i = 0; i < scan.count; i++) {
    const slot = slots[i] as number;
    if (slot !== loaded) scan.store.read(slot, thumb);
    loaded = slot;
    batcher.push(thumb);
  }
  batcher.flush();
  return stream.end();
}

/** Kept frame `index` of a side's GelSight as a (3, 128, 128) channel-first thumbnail. */
export function tactileThumb(scan: FrameScan, side: Side, index: number): Uint8Array {
  return toChannelFirst(scan.store.read(scan.gel[side].slots[index] as number));
}
