import { THUMB_BYTES, thumbnail } from "../../detectors/image/index.js";
import { CAMERA_STREAMS, type CameraStream, type Side, TACTILE_SIDES } from "../../detectors/samples.js";
import type { StallConfig } from "../../detectors/stall.js";
import type { EpisodeReader } from "../../hw/h5/index.js";
import { ThumbnailStore } from "./ThumbnailStore.js";

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
  /**
   * Per camera (cam0..cam2): 1 where frame k repeats frame k-1 bitwise (index = frame - from).
   * cam1 and cam2 are only read inside windows where cam0 alone could make a stall; elsewhere 0.
   */
  readonly cameraRepeats: readonly Uint8Array[];
  readonly gel: Readonly<Record<Side, GelScan>>;
  /** Thumbnails of every distinct GelSight frame; the caller closes it. */
  readonly store: ThumbnailStore;
}

/** Two frame buffers per stream, alternating: the previous frame is all that is kept. */
class RepeatTracker {
  private readonly frames: [Uint8Array, Uint8Array];
  private turn: 0 | 1 = 0;
  private hasPrevious = false;

  constructor(bytes: number) {
    this.frames = [new Uint8Array(bytes), new Uint8Array(bytes)];
  }

  /** Where the next frame is to be read. */
  get next(): Uint8Array {
    return this.frames[this.turn];
  }

  /** The frame read last (after `settle`). */
  get latest(): Uint8Array {
    return this.frames[this.turn === 0 ? 1 : 0];
  }

  /** Call after reading into `next`: true when it equals the frame read before it. */
  settle(): boolean {
    const same = this.hasPrevious && Buffer.compare(this.frames[0], this.frames[1]) === 0;
    this.turn = this.turn === 0 ? 1 : 0;
    this.hasPrevious = true;
    return same;
  }

  forget(): void {
    this.hasPrevious = false;
  }
}

/**
 * The one sequential pass over a take's images: bitwise repeats of the cameras and GelSight streams,
 * and a thumbnail of every distinct GelSight frame. Frames are read one at a time into reused buffers.
 * A stall needs every camera repeating, so cam1 and cam2 are read only where cam0 repeats enough:
 * on a healthy take that skips two of the five image streams.
 */
export function scanFrames(
  reader: EpisodeReader,
  from: number,
  stall: StallConfig,
  onProgress?: (done: number, total: number) => void,
): FrameScan {
  const count = Math.max(0, reader.frameCount - from);
  const frameBytes = reader.height * reader.width * 3;
  const store = new ThumbnailStore(THUMB_BYTES);
  const cameraRepeats = CAMERA_STREAMS.map(() => new Uint8Array(count));
  const gel = Object.fromEntries(
    TACTILE_SIDES.map((side) => [side, { slots: new Int32Array(count), repeats: new Uint8Array(count) }]),
  ) as Record<Side, GelScan>;
  const thumb = new Uint8Array(THUMB_BYTES);
  try {
    const cam0 = new RepeatTracker(frameBytes);
    const gels = TACTILE_SIDES.map(() => new RepeatTracker(frameBytes));
    for (let i = 0; i < count; i++) {
      const k = from + i;
      reader.color("cam0", k, cam0.next);
      (cameraRepeats[0] as Uint8Array)[i] = cam0.settle() ? 1 : 0;
      TACTILE_SIDES.forEach((side, s) => {
        const tracker = gels[s] as RepeatTracker;
        const scan = gel[side];
        reader.gel(side, k, tracker.next);
        if (tracker.settle()) {
          scan.repeats[i] = 1;
          scan.slots[i] = scan.slots[i - 1] as number;
        } else {
          scan.slots[i] = store.append(thumbnail(tracker.latest, reader.height, reader.width, thumb));
        }
      });
      onProgress?.(i + 1, count);
    }
    const needed = suspectRanges(cameraRepeats[0] as Uint8Array, stall);
    CAMERA_STREAMS.slice(1).forEach((cam, c) => {
      scanRepeats(
        reader,
        cam,
        from,
        needed,
        cameraRepeats[c + 1] as Uint8Array,
        new RepeatTracker(frameBytes),
      );
    });
  } catch (error) {
    store.close();
    throw error;
  }
  return { from, count, cameraRepeats, gel, store };
}

/** Index ranges (scan-relative) of every window where cam0 repeats at least the stall fraction. */
function suspectRanges(repeats: Uint8Array, stall: StallConfig): [number, number][] {
  const needed = stall.dupFraction * stall.windowFrames;
  const ranges: [number, number][] = [];
  let inWindow = 0;
  for (let i = 0; i < repeats.length; i++) {
    inWindow += repeats[i] as number;
    if (i >= stall.windowFrames) inWindow -= repeats[i - stall.windowFrames] as number;
    if (i + 1 >= stall.windowFrames && inWindow >= needed) {
      const a = i + 1 - stall.windowFrames;
      const last = ranges[ranges.length - 1];
      if (last && a <= last[1] + 1) last[1] = i;
      else ranges.push([a, i]);
    }
  }
  return ranges;
}

function scanRepeats(
  reader: EpisodeReader,
  cam: CameraStream,
  from: number,
  ranges: readonly [number, number][],
  repeats: Uint8Array,
  tracker: RepeatTracker,
) {
  for (const [a, b] of ranges) {
    tracker.forget();
    // Start one frame early so frame a can be compared with its predecessor.
    for (let i = Math.max(0, a - 1); i <= b; i++) {
      reader.color(cam, from + i, tracker.next);
      const same = tracker.settle();
      if (i >= a) repeats[i] = same ? 1 : 0;
    }
  }
}
