import { thumbnail } from "../../detectors/image/index.js";
import { CAMERA_STREAMS, type Side, TACTILE_SIDES } from "../../detectors/samples.js";
import type { EpisodeReader } from "../../hw/h5/index.js";
import { ThumbnailStore } from "./ThumbnailStore.js";

export const THUMB_BYTES = 128 * 128 * 3;

export interface GelScan {
  /** Thumbnail slot of each scanned frame (index = frame - from). Repeated frames share a slot. */
  readonly slots: Int32Array;
  /** 1 where the frame is bitwise equal to the previous one. */
  readonly repeats: Uint8Array;
}

export interface FrameScan {
  /** First scanned H5 frame (the trim offset) and the number scanned. */
  readonly from: number;
  readonly count: number;
  /** Per camera (cam0..cam2): 1 where frame k repeats frame k-1 bitwise (index = frame - from). */
  readonly cameraRepeats: readonly Uint8Array[];
  readonly gel: Readonly<Record<Side, GelScan>>;
  /** Thumbnails of every distinct GelSight frame; the caller closes it. */
  readonly store: ThumbnailStore;
}

/**
 * The one sequential pass over a take's images: bitwise repeats of every camera and GelSight stream,
 * and a thumbnail of every distinct GelSight frame. Frames are read one at a time; only the previous
 * frame of each stream is kept.
 */
export function scanFrames(
  reader: EpisodeReader,
  from: number,
  onProgress?: (done: number, total: number) => void,
): FrameScan {
  const count = Math.max(0, reader.frameCount - from);
  const store = new ThumbnailStore(THUMB_BYTES);
  const cameraRepeats = CAMERA_STREAMS.map(() => new Uint8Array(count));
  const gel = Object.fromEntries(
    TACTILE_SIDES.map((side) => [side, { slots: new Int32Array(count), repeats: new Uint8Array(count) }]),
  ) as Record<Side, GelScan>;
  const previous = new Map<string, Buffer>();
  const thumb = new Uint8Array(THUMB_BYTES);
  const repeatsPrevious = (stream: string, frame: Uint8Array): boolean => {
    const bytes = Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
    const same = previous.get(stream)?.equals(bytes) ?? false;
    previous.set(stream, bytes);
    return same;
  };
  try {
    for (let i = 0; i < count; i++) {
      const k = from + i;
      CAMERA_STREAMS.forEach((cam, c) => {
        (cameraRepeats[c] as Uint8Array)[i] = repeatsPrevious(cam, reader.color(cam, k)) ? 1 : 0;
      });
      for (const side of TACTILE_SIDES) {
        const frame = reader.gel(side, k);
        const scan = gel[side];
        if (repeatsPrevious(`gel_${side}`, frame)) {
          scan.repeats[i] = 1;
          scan.slots[i] = scan.slots[i - 1] as number;
        } else {
          scan.slots[i] = store.append(thumbnail(frame, reader.height, reader.width, thumb));
        }
      }
      onProgress?.(i + 1, count);
    }
  } catch (error) {
    store.close();
    throw error;
  }
  return { from, count, cameraRepeats, gel, store };
}
