import { join } from "node:path";
import { FrameDiffer, THUMB_BYTES, thumbnail } from "../../detectors/image/index.js";
import { CAMERA_STREAMS, TACTILE_SIDES } from "../../detectors/samples.js";
import { EpisodeReader } from "../../hw/h5/index.js";
import { writeFileAtomic } from "../../sinks/atomicWrite.js";
import { packArrays } from "./ArrayPack.js";
import { EvidenceError } from "./EvidenceError.js";
import {
  ARRAYS_FILE,
  cameraThumbsFile,
  EVIDENCE_STREAMS,
  EVIDENCE_VERSION,
  type EvidenceHeader,
  gelThumbsFile,
  HEADER_FILE,
} from "./evidenceLayout.js";
import { fileIdentity, sameIdentity } from "./FileIdentity.js";
import { RecordWriter } from "./RecordFile.js";

export interface ScanOptions {
  /** Frames read so far out of the take's; called once per frame (the pause switch waits in here). */
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * The one pass over a take's frames (issue 12): every frame of the five image streams is decoded
 * once, in order, and left behind as what every later stage needs, so none of them decodes it again:
 * - per stream, the exact sum of absolute differences to the previous frame (0 = a bitwise repeat:
 *   stalls, GelSight repeats; divided by the frame size, the motion of spec §3's freeze evidence for
 *   any frame pair, whatever candidate a config later makes);
 * - every camera frame's thumbnail, channel-first (the `.pt` views) and every distinct GelSight
 *   frame's thumbnail with each frame's slot (contact metrics, the p01 reference, the `.pt` tactile);
 * - timestamps, OT streams and metadata, so a later analysis needs no HDF5 at all.
 * Thumbnails stream to their files batch by batch: memory stays at a few frames whatever the length.
 * Writes into `dir` (which must exist and be empty); the header goes last.
 */
export async function scanTake(
  h5Path: string,
  dir: string,
  options: ScanOptions = {},
): Promise<EvidenceHeader> {
  const source = fileIdentity(h5Path);
  const reader = await EpisodeReader.open(h5Path);
  const writers: RecordWriter[] = [];
  try {
    const T = reader.frameCount;
    const { height: H, width: W } = reader;
    const frameBytes = H * W * 3;
    const cameras = CAMERA_STREAMS.map(
      (cam) => new RecordWriter(join(dir, cameraThumbsFile(cam)), THUMB_BYTES),
    );
    const gels = TACTILE_SIDES.map((side) => new RecordWriter(join(dir, gelThumbsFile(side)), THUMB_BYTES));
    writers.push(...cameras, ...gels);
    const differs = EVIDENCE_STREAMS.map(() => new FrameDiffer(frameBytes));
    const sad = EVIDENCE_STREAMS.map(() => new Float64Array(T));
    const slots = TACTILE_SIDES.map(() => new Int32Array(T));
    for (let k = 0; k < T; k++) {
      EVIDENCE_STREAMS.forEach((stream, s) => {
        // A view of h5wasm's heap: used (copied into the differ, thumbnailed) before the next read.
        const view = reader.frameView(stream, k);
        const d = (differs[s] as FrameDiffer).push(view);
        (sad[s] as Float64Array)[k] = d ?? 0;
        if (s < CAMERA_STREAMS.length) {
          const out = cameras[s] as RecordWriter;
          thumbnail(view, H, W, out.slot, "chw");
          out.advance();
          return;
        }
        const g = s - CAMERA_STREAMS.length;
        const slot = slots[g] as Int32Array;
        if (d === 0)
          slot[k] = slot[k - 1] as number; // a repeated gel frame shares its thumbnail
        else {
          const out = gels[g] as RecordWriter;
          thumbnail(view, H, W, out.slot);
          slot[k] = out.advance();
        }
      });
      options.onProgress?.(k + 1, T);
    }
    const arrays: Record<string, Float64Array | Int32Array> = { timestamps: reader.timestamps() };
    EVIDENCE_STREAMS.forEach((stream, s) => (arrays[`sad.${stream}`] = sad[s] as Float64Array));
    TACTILE_SIDES.forEach((side, g) => (arrays[`slots.${side}`] = slots[g] as Int32Array));
    for (const body of reader.bodies) {
      const ot = reader.ot(body);
      arrays[`ot.${body}.t`] = ot.timestamps;
      arrays[`ot.${body}.pose`] = ot.pose;
      // Samples the reader left out for an impossible time: detect's report says how many.
      arrays[`ot.${body}.implausible`] = Int32Array.of(ot.implausible ?? 0);
    }
    for (const w of writers.splice(0)) w.finish();
    const packed = packArrays(arrays);
    writeFileAtomic(join(dir, ARRAYS_FILE), packed.bytes);
    if (source === undefined || !sameIdentity(source, fileIdentity(h5Path)))
      throw new EvidenceError(h5Path, "changed while the analysis pass read it; run the stage again");
    const header: EvidenceHeader = {
      version: EVIDENCE_VERSION,
      source,
      frames: T,
      height: H,
      width: W,
      metadata: reader.metadata,
      bodies: reader.bodies,
      gelThumbs: { left: (gels[0] as RecordWriter).count, right: (gels[1] as RecordWriter).count },
      arrays: packed.spans,
    };
    writeFileAtomic(join(dir, HEADER_FILE), `${JSON.stringify(header)}\n`);
    return header;
  } finally {
    for (const w of writers) w.abandon();
    reader.close();
  }
}
