/** What a decode failure knows about where it happened. Offsets count from the datagram's first byte. */
export interface NatNetDecodeErrorInfo {
  /** The header's message id, or undefined when even the header could not be read. */
  readonly messageId: number | undefined;
  /** Byte offset from the start of the datagram (the 4-byte header included) where reading failed. */
  readonly offset: number;
  /** Path of the field being read, e.g. `rigidBodies[2].params`. */
  readonly field: string;
  /** What the decoder expected to find there, in words. */
  readonly expected: string;
  /** Bytes the read needed, when the failure is a short read. */
  readonly needed?: number;
  /** Bytes that were left in bounds, when the failure is a short read. */
  readonly available?: number;
  /** The NatNet version the bytes were decoded as, `major.minor`, if one was given. */
  readonly version?: string;
}

/**
 * A datagram that is not a well-formed NatNet message for the given version: truncated, over-long,
 * inconsistent counts or sizes, a bad end tag. Bad input from the network, never a bug in the caller,
 * so a receiver can count and drop it.
 */
export class NatNetDecodeError extends Error implements NatNetDecodeErrorInfo {
  override readonly name = "NatNetDecodeError";
  readonly messageId: number | undefined;
  readonly offset: number;
  readonly field: string;
  readonly expected: string;
  readonly needed: number | undefined;
  readonly available: number | undefined;
  readonly version: string | undefined;

  constructor(info: NatNetDecodeErrorInfo, options?: ErrorOptions) {
    const shortfall =
      info.needed === undefined ? "" : ` (needs ${info.needed} bytes, ${info.available ?? 0} left)`;
    const context = [
      info.version === undefined ? undefined : `natnet=${info.version}`,
      info.messageId === undefined ? undefined : `message=${info.messageId}`,
    ].filter((part) => part !== undefined);
    super(
      `NatNet decode failed at byte ${info.offset}, ${info.field}: expected ${info.expected}${shortfall}` +
        (context.length > 0 ? ` [${context.join(" ")}]` : ""),
      options,
    );
    this.messageId = info.messageId;
    this.offset = info.offset;
    this.field = info.field;
    this.expected = info.expected;
    this.needed = info.needed;
    this.available = info.available;
    this.version = info.version;
  }
}
