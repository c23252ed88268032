// gifenc ships no types; only its frame writer is used (the palette and the indexing are rigwatch's).
declare module "gifenc" {
  interface FrameOptions {
    /** Only on the first frame (with `first`): the global colour table, RGB triples. */
    palette?: number[][];
    /** Display time in milliseconds (stored in hundredths). */
    delay?: number;
    /** 0 = loop forever (NETSCAPE2.0), -1 = no loop block. */
    repeat?: number;
    /** Bits per palette index (the LZW's initial code size). */
    colorDepth?: number;
    /** Manual mode: this frame carries the logical screen, the global palette and the loop block. */
    first?: boolean;
  }
  interface Encoder {
    writeHeader(): void;
    writeFrame(index: Uint8Array, width: number, height: number, options?: FrameOptions): void;
    bytes(): Uint8Array;
    reset(): void;
  }
  const gifenc: {
    GIFEncoder(options?: { auto?: boolean; initialCapacity?: number }): Encoder;
  };
  export default gifenc;
}
