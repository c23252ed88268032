import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { THUMB_BYTES } from "../../detectors/image/index.js";
import {
  CAMERA_STREAMS,
  type CameraStream,
  type Side,
  type StreamName,
  TACTILE_SIDES,
} from "../../detectors/samples.js";
import type { EpisodeMetadata, OtStream } from "../../hw/h5/index.js";
import { writeFileAtomic } from "../../sinks/atomicWrite.js";
import { unpackArray } from "./ArrayPack.js";
import {
  ARRAYS_FILE,
  cameraThumbsFile,
  DERIVED_DIR,
  EVIDENCE_VERSION,
  type EvidenceHeader,
  gelThumbsFile,
  HEADER_FILE,
} from "./evidenceLayout.js";
import { RecordReader } from "./RecordFile.js";

/**
 * An episode's evidence, as the analysis pass left it (see scanTake): what detect, index and the
 * previews read instead of the frames. Open files are closed by `close` (which also removes a
 * temporary folder: the evidence of a file outside a dataset is not kept).
 */
export class TakeEvidence {
  readonly #arrays: Uint8Array;
  readonly #gelThumbs = new Map<Side, RecordReader>();
  readonly #removeOnClose: string | undefined;

  private constructor(
    /** The episode file. */
    readonly path: string,
    /** The evidence folder. */
    readonly dir: string,
    readonly header: EvidenceHeader,
    arrays: Uint8Array,
    removeOnClose: string | undefined,
  ) {
    this.#arrays = arrays;
    this.#removeOnClose = removeOnClose;
  }

  /**
   * The evidence in `dir`, or undefined when there is none usable there: no header (a pass that did
   * not finish), another version, or files whose sizes do not match the header.
   */
  static open(
    path: string,
    dir: string,
    options: { removeOnClose?: boolean } = {},
  ): TakeEvidence | undefined {
    let header: EvidenceHeader;
    let arrays: Uint8Array;
    try {
      header = JSON.parse(readFileSync(join(dir, HEADER_FILE), "utf8")) as EvidenceHeader;
      if (header.version !== EVIDENCE_VERSION) return undefined;
      arrays = readFileSync(join(dir, ARRAYS_FILE));
      const sizeOf = (name: string) => statSync(join(dir, name)).size;
      const T = header.frames;
      if (CAMERA_STREAMS.some((cam) => sizeOf(cameraThumbsFile(cam)) !== T * THUMB_BYTES)) return undefined;
      if (TACTILE_SIDES.some((side) => sizeOf(gelThumbsFile(side)) !== header.gelThumbs[side] * THUMB_BYTES))
        return undefined;
    } catch {
      return undefined; // missing or unreadable: the pass runs again
    }
    return new TakeEvidence(path, dir, header, arrays, options.removeOnClose ? dir : undefined);
  }

  get frameCount(): number {
    return this.header.frames;
  }

  get metadata(): EpisodeMetadata {
    return this.header.metadata;
  }

  get bodies(): readonly string[] {
    return this.header.bodies;
  }

  /** Camera tick timestamps, length T. */
  timestamps(): Float64Array {
    return this.#array("timestamps") as Float64Array;
  }

  ot(body: string): OtStream {
    return {
      body,
      timestamps: this.#array(`ot.${body}.t`) as Float64Array,
      pose: this.#array(`ot.${body}.pose`) as Float64Array,
      implausible: (this.#array(`ot.${body}.implausible`) as Int32Array)[0] ?? 0,
    };
  }

  /**
   * Per frame k of a stream: Σ|frame k − frame k−1| over its bytes (0 = a bitwise repeat; frame 0
   * has no predecessor and holds 0). Divided by `frameBytes`, the mean absolute difference.
   */
  frameDiffs(stream: StreamName): Float64Array {
    return this.#array(`sad.${stream}`) as Float64Array;
  }

  /** Bytes of one full-resolution frame (the divisor of frameDiffs). */
  get frameBytes(): number {
    return this.header.height * this.header.width * 3;
  }

  /** Per frame, the slot of its GelSight thumbnail; repeated frames share a slot. */
  gelSlots(side: Side): Int32Array {
    return this.#array(`slots.${side}`) as Int32Array;
  }

  /** The (128, 128, 3) thumbnail in a GelSight's `slot`, copied into `out`. */
  gelThumb(side: Side, slot: number, out: Uint8Array = new Uint8Array(THUMB_BYTES)): Uint8Array {
    let reader = this.#gelThumbs.get(side);
    if (!reader) {
      reader = new RecordReader(
        join(this.dir, gelThumbsFile(side)),
        THUMB_BYTES,
        this.header.gelThumbs[side],
      );
      this.#gelThumbs.set(side, reader);
    }
    return reader.read(slot, out);
  }

  /** The camera's channel-first thumbnails, one per frame, for a caller that streams them (close it). */
  cameraThumbs(cam: CameraStream): RecordReader {
    return new RecordReader(join(this.dir, cameraThumbsFile(cam)), THUMB_BYTES, this.header.frames);
  }

  /**
   * A result computed from this evidence for some config (`key` says which), kept beside it so the
   * next stage or run with the same config reads it instead of computing it again.
   */
  derived(name: string, key: string): Uint8Array | undefined {
    const file = this.#derivedFile(name, key);
    return existsSync(file) ? readFileSync(file) : undefined;
  }

  storeDerived(name: string, key: string, bytes: Uint8Array): void {
    mkdirSync(join(this.dir, DERIVED_DIR), { recursive: true });
    writeFileAtomic(this.#derivedFile(name, key), bytes);
  }

  close(): void {
    for (const reader of this.#gelThumbs.values()) reader.close();
    this.#gelThumbs.clear();
    if (this.#removeOnClose) rmSync(this.#removeOnClose, { recursive: true, force: true });
  }

  #derivedFile(name: string, key: string): string {
    const digest = createHash("sha256").update(key).digest("hex").slice(0, 32);
    return join(this.dir, DERIVED_DIR, `${name}.${digest}.bin`);
  }

  #array(name: string): Float64Array | Int32Array {
    const span = this.header.arrays[name];
    if (span === undefined) throw new RangeError(`${this.dir}: evidence has no array ${name}`);
    return unpackArray(this.#arrays, span);
  }
}
